// Records the vim25 SOAP exchanges that the unit tests replay (src/test/resources/vim25/recorded).
//
// The requests are what govmomi (the reference vim25 client; Debian's golang-github-vmware-govmomi-dev
// 0.24) puts on the wire, the responses what govmomi's vcsim answers. The calls mirror, one for one
// and in the same order, what Vim25ReplayTest makes the Java client do, so that the test can demand
// that every Java request equals govmomi's (element order, xsi:type, namespaces) and feed the Java
// client vcsim's real answers. Change both together.
//
// Build and run (GOPATH mode, no module download):
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go run record.go -out ../resources/vim25/recorded
//
// Timestamps, session cookies, temp paths and generated UUIDs in the responses differ from run to
// run; the tests take every id they need from the recorded responses.
package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"flag"
	"fmt"
	"io/ioutil"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

var (
	out     string
	step    int
	current string
	ctx     = context.Background()
)

// recorder is a reverse proxy that writes each request and response body (and the headers that
// matter) to files named after the current step.
func recorder(target *url.URL) http.Handler {
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.ModifyResponse = func(res *http.Response) error {
		body, err := ioutil.ReadAll(res.Body)
		if err != nil {
			return err
		}
		res.Body = ioutil.NopCloser(bytes.NewReader(body))
		write(current+".response.xml", body)
		var h strings.Builder
		fmt.Fprintf(&h, "HTTP %d\n", res.StatusCode)
		for _, k := range []string{"Content-Type", "Set-Cookie"} {
			if v := res.Header.Get(k); v != "" {
				fmt.Fprintf(&h, "%s: %s\n", k, v)
			}
		}
		write(current+".response.headers", []byte(h.String()))
		return nil
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := ioutil.ReadAll(r.Body)
		r.Body = ioutil.NopCloser(bytes.NewReader(body))
		write(current+".request.xml", body)
		var h strings.Builder
		fmt.Fprintf(&h, "%s %s\n", r.Method, r.URL.Path)
		for _, k := range []string{"Content-Type", "SOAPAction", "Cookie"} {
			if v := r.Header.Get(k); v != "" {
				fmt.Fprintf(&h, "%s: %s\n", k, v)
			}
		}
		write(current+".request.headers", []byte(h.String()))
		proxy.ServeHTTP(w, r)
	})
}

func write(name string, b []byte) {
	if current == "" {
		log.Fatalf("unnamed exchange")
	}
	if err := ioutil.WriteFile(filepath.Join(out, name), b, 0o644); err != nil {
		log.Fatal(err)
	}
}

// at names the next exchange.
func at(name string) {
	step++
	current = fmt.Sprintf("%02d-%s", step, name)
}

func must(err error) {
	if err != nil {
		log.Fatalf("%s: %v", current, err)
	}
}

func fault(err error) {
	if err == nil {
		log.Fatalf("%s: expected a fault", current)
	}
	log.Printf("%s: fault as expected: %v", current, err)
}

type client struct {
	*vim25.Client
}

// retrieve is Vim25Client.retrieve(obj, paths...): one ObjectSpec, no traversal, default options.
func (c client) retrieve(name string, obj types.ManagedObjectReference, paths ...string) (*types.RetrievePropertiesExResponse, error) {
	at(name)
	return methods.RetrievePropertiesEx(ctx, c, &types.RetrievePropertiesEx{
		This: c.ServiceContent.PropertyCollector,
		SpecSet: []types.PropertyFilterSpec{{
			PropSet:   []types.PropertySpec{{Type: obj.Type, PathSet: paths}},
			ObjectSet: []types.ObjectSpec{{Obj: obj}},
		}},
	})
}

// await is VimTask.await(): reads info.state, info.error and info.result until the task is done.
// It returns the result reference (if any) and whether the task failed.
func (c client) await(name string, task types.ManagedObjectReference) (*types.ManagedObjectReference, bool) {
	for i := 1; ; i++ {
		res, err := c.retrieve(fmt.Sprintf("TaskInfo-%s-%d", name, i), task, "info.state", "info.error", "info.result")
		must(err)
		var state string
		var result *types.ManagedObjectReference
		for _, p := range res.Returnval.Objects[0].PropSet {
			switch p.Name {
			case "info.state":
				state = string(p.Val.(types.TaskInfoState))
			case "info.result":
				if ref, ok := p.Val.(types.ManagedObjectReference); ok {
					result = &ref
				}
			}
		}
		switch state {
		case "success":
			return result, false
		case "error":
			log.Printf("%s: task error as expected", current)
			return nil, true
		}
	}
}

// cloneVM is Vim25Client.cloneVm(): CloneVM_Task, await, then the new VM's disks.
func (c client) cloneVM(name string, src types.ManagedObjectReference, req types.CloneVM_Task) (types.ManagedObjectReference, bool) {
	at("CloneVM_Task-" + name)
	req.This = src
	task, err := methods.CloneVM_Task(ctx, c, &req)
	must(err)
	vm, failed := c.await("CloneVM-"+name, task.Returnval)
	if failed {
		return types.ManagedObjectReference{}, true
	}
	_, err = c.retrieve("RetrievePropertiesEx-disks-"+name, *vm, "config.hardware.device")
	must(err)
	return *vm, false
}

func vmPaths() []string {
	// VirtualMachineInfo.PROPERTY_PATHS
	return []string{"name", "config.template", "runtime.powerState", "guest.ipAddress", "snapshot",
		"parent", "resourcePool", "datastore", "config.hardware.numCPU", "config.hardware.memoryMB",
		"config.hardware.device", "config.extraConfig", "customValue"}
}

func connect(u *url.URL, name string) client {
	at("RetrieveServiceContent-" + name)
	c, err := vim25.NewClient(ctx, soap.NewClient(u, true))
	must(err)
	return client{c}
}

func main() {
	flag.StringVar(&out, "out", "recorded", "folder for the recorded exchanges")
	flag.Parse()
	must(os.MkdirAll(out, 0o755))

	model := simulator.VPX()
	defer model.Remove()
	must(model.Create())
	model.Service.Listen = &url.URL{Host: "127.0.0.1:0", User: url.UserPassword("user", "pass")}
	sim := model.Service.NewServer()
	defer sim.Close()

	target := *sim.URL
	target.Path = ""
	target.User = nil
	front := httptest.NewServer(recorder(&target))
	defer front.Close()
	u, _ := url.Parse(front.URL + "/sdk")

	// A client with a wrong password.
	bad := connect(u, "bad-client")
	at("Login-InvalidLogin")
	_, err := methods.Login(ctx, bad, &types.Login{This: *bad.ServiceContent.SessionManager, UserName: "user", Password: "wrong-password"})
	fault(err)

	c := connect(u, "client")
	sm := *c.ServiceContent.SessionManager
	at("Login")
	_, err = methods.Login(ctx, c, &types.Login{This: sm, UserName: "user", Password: "pass"})
	must(err)

	si := *c.ServiceContent.SearchIndex
	find := func(name, path string) *types.ManagedObjectReference {
		at(name)
		res, err := methods.FindByInventoryPath(ctx, c, &types.FindByInventoryPath{This: si, InventoryPath: path})
		must(err)
		return res.Returnval
	}
	src := *find("FindByInventoryPath", "DC0/vm/DC0_H0_VM0")
	find("FindByInventoryPath-absent", "DC0/vm/no-such-vm")
	vmFolder := *find("FindByInventoryPath-folder", "DC0/vm")

	props, err := c.retrieve("RetrievePropertiesEx-vm", src, vmPaths()...)
	must(err)
	var pool, ds types.ManagedObjectReference
	for _, p := range props.Returnval.Objects[0].PropSet {
		switch p.Name {
		case "resourcePool":
			pool = p.Val.(types.ManagedObjectReference)
		case "datastore":
			ds = p.Val.(types.ArrayOfManagedObjectReference).ManagedObjectReference[0]
		}
	}

	at("CreateFolder")
	folderRes, err := methods.CreateFolder(ctx, c, &types.CreateFolder{This: vmFolder, Name: "lab-recorded"})
	must(err)
	folder := folderRes.Returnval
	at("CreateFolder-DuplicateName")
	_, err = methods.CreateFolder(ctx, c, &types.CreateFolder{This: vmFolder, Name: "lab-recorded"})
	fault(err)

	// A template, and a clone from it without a pool (vcsim: InvalidArgument spec.location.pool).
	tmpl, _ := c.cloneVM("template", src, types.CloneVM_Task{Folder: folder, Name: "lab-template",
		Spec: types.VirtualMachineCloneSpec{Template: true}})
	if _, failed := c.cloneVM("no-pool", tmpl, types.CloneVM_Task{Folder: folder, Name: "lab-no-pool"}); !failed {
		log.Fatal("clone without pool should fail")
	}
	at("Destroy_Task-template")
	dt, err := methods.Destroy_Task(ctx, c, &types.Destroy_Task{This: tmpl})
	must(err)
	c.await("Destroy-template", dt.Returnval)

	// Linked clone request: snapshot the source, clone on top of it.
	at("CreateSnapshot_Task-source")
	snapTask, err := methods.CreateSnapshot_Task(ctx, c, &types.CreateSnapshot_Task{This: src, Name: "base", Description: "linked clone base"})
	must(err)
	srcSnap, _ := c.await("CreateSnapshot-source", snapTask.Returnval)
	_, err = c.retrieve("RetrievePropertiesEx-snapshot-source", src, "snapshot")
	must(err)

	userData := base64.StdEncoding.EncodeToString([]byte("#cloud-config\nhostname: lab-vm-1\n"))
	metaData := base64.StdEncoding.EncodeToString([]byte("instance-id: lab-vm-1\nlocal-hostname: lab-vm-1\n"))
	clone, _ := c.cloneVM("linked", src, types.CloneVM_Task{
		Folder: folder,
		Name:   "lab-vm-1",
		Spec: types.VirtualMachineCloneSpec{
			Location: types.VirtualMachineRelocateSpec{
				Datastore:    &ds,
				DiskMoveType: "createNewChildDiskBacking",
				Pool:         &pool,
			},
			Config: &types.VirtualMachineConfigSpec{
				NumCPUs:  2,
				MemoryMB: 2048,
				ExtraConfig: []types.BaseOptionValue{
					&types.OptionValue{Key: "guestinfo.userdata", Value: userData},
					&types.OptionValue{Key: "guestinfo.userdata.encoding", Value: "base64"},
					&types.OptionValue{Key: "guestinfo.metadata", Value: metaData},
					&types.OptionValue{Key: "guestinfo.metadata.encoding", Value: "base64"},
					&types.OptionValue{Key: "SET.guest.ipAddress", Value: "10.20.30.40"},
				},
			},
			Snapshot: srcSnap,
		},
	})

	at("ReconfigVM_Task")
	reconf, err := methods.ReconfigVM_Task(ctx, c, &types.ReconfigVM_Task{This: clone, Spec: types.VirtualMachineConfigSpec{
		Annotation: "lab lab-1234 & friends",
		NumCPUs:    4, MemoryMB: 4096,
		ExtraConfig: []types.BaseOptionValue{&types.OptionValue{Key: "guestinfo.owner", Value: "convergence <lab-1234>"}},
	}})
	must(err)
	c.await("ReconfigVM", reconf.Returnval)

	at("PowerOnVM_Task")
	on, err := methods.PowerOnVM_Task(ctx, c, &types.PowerOnVM_Task{This: clone})
	must(err)
	c.await("PowerOnVM", on.Returnval)

	at("CreateSnapshot_Task")
	snap, err := methods.CreateSnapshot_Task(ctx, c, &types.CreateSnapshot_Task{This: clone, Name: "before-test", Description: "lab checkpoint"})
	must(err)
	cloneSnap, _ := c.await("CreateSnapshot", snap.Returnval)

	_, err = c.retrieve("RetrievePropertiesEx-clone", clone, vmPaths()...)
	must(err)

	at("RevertToSnapshot_Task")
	rev, err := methods.RevertToSnapshot_Task(ctx, c, &types.RevertToSnapshot_Task{This: *cloneSnap})
	must(err)
	c.await("RevertToSnapshot", rev.Returnval)

	at("RemoveSnapshot_Task")
	rm, err := methods.RemoveSnapshot_Task(ctx, c, &types.RemoveSnapshot_Task{This: *cloneSnap, RemoveChildren: false})
	must(err)
	c.await("RemoveSnapshot", rm.Returnval)

	at("Destroy_Task-poweredOn")
	d1, err := methods.Destroy_Task(ctx, c, &types.Destroy_Task{This: clone})
	must(err)
	if _, failed := c.await("Destroy-poweredOn", d1.Returnval); !failed {
		log.Fatal("destroying a powered-on VM should fail")
	}

	at("PowerOffVM_Task")
	off, err := methods.PowerOffVM_Task(ctx, c, &types.PowerOffVM_Task{This: clone})
	must(err)
	c.await("PowerOffVM", off.Returnval)

	// Vim25Client.ensureCustomField: read the definitions, add when missing; a second call only reads.
	cfm := *c.ServiceContent.CustomFieldsManager
	_, err = c.retrieve("RetrievePropertiesEx-fields-empty", cfm, "field")
	must(err)
	at("AddCustomFieldDef")
	def, err := methods.AddCustomFieldDef(ctx, c, &types.AddCustomFieldDef{This: cfm, Name: "convergence.lab", MoType: "VirtualMachine"})
	must(err)
	_, err = c.retrieve("RetrievePropertiesEx-fields", cfm, "field")
	must(err)
	at("SetField")
	_, err = methods.SetField(ctx, c, &types.SetField{This: cfm, Entity: clone, Key: def.Returnval.Key, Value: "lab-1234"})
	must(err)

	// Vim25Client.folderContents: the folder's VMs through a TraversalSpec along childEntity.
	folderContents := func(name string, paths ...string) {
		at(name)
		_, err := methods.RetrievePropertiesEx(ctx, c, &types.RetrievePropertiesEx{
			This: c.ServiceContent.PropertyCollector,
			SpecSet: []types.PropertyFilterSpec{{
				PropSet: []types.PropertySpec{{Type: "VirtualMachine", PathSet: paths}},
				ObjectSet: []types.ObjectSpec{{Obj: folder, Skip: types.NewBool(true), SelectSet: []types.BaseSelectionSpec{
					&types.TraversalSpec{SelectionSpec: types.SelectionSpec{Name: "folderChildren"}, Type: "Folder", Path: "childEntity", Skip: types.NewBool(false)},
				}}},
			}},
		})
		must(err)
	}
	folderContents("RetrievePropertiesEx-folder-contents", "name", "customValue")

	at("Destroy_Task")
	d2, err := methods.Destroy_Task(ctx, c, &types.Destroy_Task{This: clone})
	must(err)
	c.await("Destroy", d2.Returnval)

	at("PowerOnVM_Task-ManagedObjectNotFound")
	_, err = methods.PowerOnVM_Task(ctx, c, &types.PowerOnVM_Task{This: clone})
	fault(err)
	_, err = c.retrieve("RetrievePropertiesEx-destroyed", clone, "name")
	fault(err)

	_, err = c.retrieve("RetrievePropertiesEx-childEntity-empty", folder, "childEntity")
	must(err)
	folderContents("RetrievePropertiesEx-folder-contents-empty", "name")

	at("Destroy_Task-folder")
	d3, err := methods.Destroy_Task(ctx, c, &types.Destroy_Task{This: folder})
	must(err)
	c.await("Destroy-folder", d3.Returnval)

	at("Logout")
	_, err = methods.Logout(ctx, c, &types.Logout{This: sm})
	must(err)

	at("CreateFolder-NotAuthenticated")
	_, err = methods.CreateFolder(ctx, c, &types.CreateFolder{This: vmFolder, Name: "after-logout"})
	fault(err)
	log.Printf("%d exchanges recorded", step)
}
