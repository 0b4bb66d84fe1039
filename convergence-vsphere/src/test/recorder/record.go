// Records the vim25 SOAP exchanges that the unit tests replay (src/test/resources/vim25/recorded).
//
// The requests are what govmomi (the reference vim25 client, Debian's golang-github-vmware-govmomi-dev
// 0.24) puts on the wire; the responses are what govmomi's vcsim answers. The Java codec's requests
// are compared with these element by element, so an element-order or xsi:type mistake shows up
// without a vCenter. Build and run (GOPATH mode, no module download):
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go run record.go -out ../resources/vim25/recorded
//
// Timestamps, session keys and generated UUIDs in the responses differ from run to run; the tests
// do not depend on them.
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
	"regexp"
	"strings"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

var (
	out      string
	step     int
	current  string
	methodRe = regexp.MustCompile(`<soapenv:Body><([A-Za-z_]+)`)
)

// recorder is a reverse proxy that writes each request and response body to files named after the
// current step.
func recorder(target *url.URL) http.Handler {
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.ModifyResponse = func(res *http.Response) error {
		body, err := ioutil.ReadAll(res.Body)
		if err != nil {
			return err
		}
		res.Body = ioutil.NopCloser(bytes.NewReader(body))
		if current != "" {
			write(current+".response.xml", body)
			var h strings.Builder
			fmt.Fprintf(&h, "HTTP %d\n", res.StatusCode)
			for _, k := range []string{"Content-Type", "Set-Cookie"} {
				if v := res.Header.Get(k); v != "" {
					fmt.Fprintf(&h, "%s: %s\n", k, v)
				}
			}
			write(current+".response.headers", []byte(h.String()))
		}
		return nil
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := ioutil.ReadAll(r.Body)
		r.Body = ioutil.NopCloser(bytes.NewReader(body))
		if current != "" {
			write(current+".request.xml", body)
			var h strings.Builder
			fmt.Fprintf(&h, "%s %s\n", r.Method, r.URL.Path)
			for _, k := range []string{"Content-Type", "SOAPAction", "Cookie"} {
				if v := r.Header.Get(k); v != "" {
					fmt.Fprintf(&h, "%s: %s\n", k, v)
				}
			}
			write(current+".request.headers", []byte(h.String()))
		}
		proxy.ServeHTTP(w, r)
	})
}

func write(name string, b []byte) {
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

func taskInfo(ctx context.Context, c *vim25.Client, task types.ManagedObjectReference, name string) {
	at(name)
	_, err := methods.RetrievePropertiesEx(ctx, c, &types.RetrievePropertiesEx{
		This: c.ServiceContent.PropertyCollector,
		SpecSet: []types.PropertyFilterSpec{{
			PropSet:   []types.PropertySpec{{Type: "Task", PathSet: []string{"info.state", "info.error", "info.result"}}},
			ObjectSet: []types.ObjectSpec{{Obj: task}},
		}},
	})
	must(err)
}

func main() {
	flag.StringVar(&out, "out", "recorded", "folder for the recorded exchanges")
	flag.Parse()
	must(os.MkdirAll(out, 0o755))
	ctx := context.Background()

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

	sc := soap.NewClient(u, true)
	at("RetrieveServiceContent")
	c, err := vim25.NewClient(ctx, sc)
	must(err)
	sm := *c.ServiceContent.SessionManager

	at("Login-InvalidLogin")
	_, err = methods.Login(ctx, c, &types.Login{This: sm, UserName: "user", Password: "wrong-password"})
	fault(err)

	at("Login")
	_, err = methods.Login(ctx, c, &types.Login{This: sm, UserName: "user", Password: "pass"})
	must(err)

	si := *c.ServiceContent.SearchIndex
	at("FindByInventoryPath")
	found, err := methods.FindByInventoryPath(ctx, c, &types.FindByInventoryPath{This: si, InventoryPath: "DC0/vm/DC0_H0_VM0"})
	must(err)
	src := *found.Returnval

	at("FindByInventoryPath-absent")
	_, err = methods.FindByInventoryPath(ctx, c, &types.FindByInventoryPath{This: si, InventoryPath: "DC0/vm/no-such-vm"})
	must(err)

	at("FindByInventoryPath-folder")
	vmFolderRes, err := methods.FindByInventoryPath(ctx, c, &types.FindByInventoryPath{This: si, InventoryPath: "DC0/vm"})
	must(err)
	vmFolder := *vmFolderRes.Returnval

	at("RetrievePropertiesEx-vm")
	props, err := methods.RetrievePropertiesEx(ctx, c, &types.RetrievePropertiesEx{
		This: c.ServiceContent.PropertyCollector,
		SpecSet: []types.PropertyFilterSpec{{
			PropSet: []types.PropertySpec{{Type: "VirtualMachine", PathSet: []string{
				"name", "config.template", "runtime.powerState", "guest.ipAddress", "snapshot",
				"parent", "resourcePool", "datastore", "config.hardware.numCPU", "config.hardware.memoryMB",
				"config.hardware.device", "config.extraConfig", "customValue"}}},
			ObjectSet: []types.ObjectSpec{{Obj: src}},
		}},
	})
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

	at("CloneVM_Task-to-template")
	tmplTask, err := methods.CloneVM_Task(ctx, c, &types.CloneVM_Task{
		This: src, Folder: folder, Name: "lab-template",
		Spec: types.VirtualMachineCloneSpec{Template: true},
	})
	must(err)
	tmpl := taskResult(ctx, c, tmplTask.Returnval, "TaskInfo-CloneVM-template-whole-info")

	at("CloneVM_Task-from-template-without-pool")
	badClone, err := methods.CloneVM_Task(ctx, c, &types.CloneVM_Task{
		This: tmpl, Folder: folder, Name: "lab-no-pool",
		Spec: types.VirtualMachineCloneSpec{},
	})
	must(err)
	taskInfo(ctx, c, badClone.Returnval, "TaskInfo-CloneVM-InvalidArgument")

	at("Destroy_Task-template")
	dt, err := methods.Destroy_Task(ctx, c, &types.Destroy_Task{This: tmpl})
	must(err)
	taskInfo(ctx, c, dt.Returnval, "TaskInfo-Destroy-template")

	at("CreateSnapshot_Task-source")
	snapTask, err := methods.CreateSnapshot_Task(ctx, c, &types.CreateSnapshot_Task{This: src, Name: "base", Description: "linked clone base", Memory: false, Quiesce: false})
	must(err)
	taskInfo(ctx, c, snapTask.Returnval, "TaskInfo-CreateSnapshot-success")
	srcSnap := readSnapshot(ctx, c, src, "RetrievePropertiesEx-snapshot-source")

	userData := base64.StdEncoding.EncodeToString([]byte("#cloud-config\nhostname: lab-vm-1\n"))
	metaData := base64.StdEncoding.EncodeToString([]byte("instance-id: lab-vm-1\nlocal-hostname: lab-vm-1\n"))
	at("CloneVM_Task-linked")
	cloneTask, err := methods.CloneVM_Task(ctx, c, &types.CloneVM_Task{
		This:   src,
		Folder: folder,
		Name:   "lab-vm-1",
		Spec: types.VirtualMachineCloneSpec{
			Location: types.VirtualMachineRelocateSpec{
				Datastore:    &ds,
				DiskMoveType: "createNewChildDiskBacking",
				Pool:         &pool,
			},
			Template: false,
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
			PowerOn:  false,
			Snapshot: &srcSnap,
		},
	})
	must(err)
	taskInfo(ctx, c, cloneTask.Returnval, "TaskInfo-CloneVM-success")
	clone := taskResult(ctx, c, cloneTask.Returnval, "TaskInfo-CloneVM-whole-info")

	at("RetrievePropertiesEx-clone-disks")
	_, err = methods.RetrievePropertiesEx(ctx, c, &types.RetrievePropertiesEx{
		This: c.ServiceContent.PropertyCollector,
		SpecSet: []types.PropertyFilterSpec{{
			PropSet:   []types.PropertySpec{{Type: "VirtualMachine", PathSet: []string{"name", "config.hardware.device", "guest.ipAddress"}}},
			ObjectSet: []types.ObjectSpec{{Obj: clone}},
		}},
	})
	must(err)

	at("ReconfigVM_Task")
	reconf, err := methods.ReconfigVM_Task(ctx, c, &types.ReconfigVM_Task{This: clone, Spec: types.VirtualMachineConfigSpec{
		NumCPUs: 4, MemoryMB: 4096,
		ExtraConfig: []types.BaseOptionValue{&types.OptionValue{Key: "guestinfo.owner", Value: "convergence"}},
	}})
	must(err)
	taskInfo(ctx, c, reconf.Returnval, "TaskInfo-ReconfigVM-success")

	at("PowerOnVM_Task")
	on, err := methods.PowerOnVM_Task(ctx, c, &types.PowerOnVM_Task{This: clone})
	must(err)
	taskInfo(ctx, c, on.Returnval, "TaskInfo-PowerOnVM-success")

	at("CreateSnapshot_Task")
	snap, err := methods.CreateSnapshot_Task(ctx, c, &types.CreateSnapshot_Task{This: clone, Name: "before-test", Description: "lab checkpoint", Memory: false, Quiesce: false})
	must(err)
	taskInfo(ctx, c, snap.Returnval, "TaskInfo-CreateSnapshot-clone")
	cloneSnap := readSnapshot(ctx, c, clone, "RetrievePropertiesEx-snapshot-clone")

	at("RevertToSnapshot_Task")
	rev, err := methods.RevertToSnapshot_Task(ctx, c, &types.RevertToSnapshot_Task{This: cloneSnap})
	must(err)
	taskInfo(ctx, c, rev.Returnval, "TaskInfo-RevertToSnapshot-success")

	at("RemoveSnapshot_Task")
	rm, err := methods.RemoveSnapshot_Task(ctx, c, &types.RemoveSnapshot_Task{This: cloneSnap, RemoveChildren: false})
	must(err)
	taskInfo(ctx, c, rm.Returnval, "TaskInfo-RemoveSnapshot-success")

	at("Destroy_Task-poweredOn")
	d1, err := methods.Destroy_Task(ctx, c, &types.Destroy_Task{This: clone})
	must(err)
	taskInfo(ctx, c, d1.Returnval, "TaskInfo-Destroy-InvalidPowerState")

	at("PowerOffVM_Task")
	off, err := methods.PowerOffVM_Task(ctx, c, &types.PowerOffVM_Task{This: clone})
	must(err)
	taskInfo(ctx, c, off.Returnval, "TaskInfo-PowerOffVM-success")

	cfm := *c.ServiceContent.CustomFieldsManager
	at("AddCustomFieldDef")
	def, err := methods.AddCustomFieldDef(ctx, c, &types.AddCustomFieldDef{This: cfm, Name: "convergence.lab", MoType: "VirtualMachine"})
	must(err)
	at("AddCustomFieldDef-DuplicateName")
	_, err = methods.AddCustomFieldDef(ctx, c, &types.AddCustomFieldDef{This: cfm, Name: "convergence.lab", MoType: "VirtualMachine"})
	fault(err)
	at("SetField")
	_, err = methods.SetField(ctx, c, &types.SetField{This: cfm, Entity: clone, Key: def.Returnval.Key, Value: "lab-1234"})
	must(err)
	at("RetrievePropertiesEx-customFields")
	_, err = methods.RetrievePropertiesEx(ctx, c, &types.RetrievePropertiesEx{
		This: c.ServiceContent.PropertyCollector,
		SpecSet: []types.PropertyFilterSpec{{
			PropSet:   []types.PropertySpec{{Type: "CustomFieldsManager", PathSet: []string{"field"}}},
			ObjectSet: []types.ObjectSpec{{Obj: cfm}},
		}},
	})
	must(err)

	at("RetrievePropertiesEx-folder-children")
	skip := true
	_, err = methods.RetrievePropertiesEx(ctx, c, &types.RetrievePropertiesEx{
		This: c.ServiceContent.PropertyCollector,
		SpecSet: []types.PropertyFilterSpec{{
			PropSet: []types.PropertySpec{{Type: "VirtualMachine", PathSet: []string{"name", "customValue"}}},
			ObjectSet: []types.ObjectSpec{{Obj: folder, Skip: &skip, SelectSet: []types.BaseSelectionSpec{
				&types.TraversalSpec{SelectionSpec: types.SelectionSpec{Name: "folderChildren"}, Type: "Folder", Path: "childEntity", Skip: types.NewBool(false)},
			}}},
		}},
		Options: types.RetrieveOptions{MaxObjects: 100},
	})
	must(err)

	at("Destroy_Task")
	d2, err := methods.Destroy_Task(ctx, c, &types.Destroy_Task{This: clone})
	must(err)
	taskInfo(ctx, c, d2.Returnval, "TaskInfo-Destroy-success")

	at("PowerOnVM_Task-ManagedObjectNotFound")
	_, err = methods.PowerOnVM_Task(ctx, c, &types.PowerOnVM_Task{This: clone})
	fault(err)

	at("RetrievePropertiesEx-destroyed")
	_, err = methods.RetrievePropertiesEx(ctx, c, &types.RetrievePropertiesEx{
		This: c.ServiceContent.PropertyCollector,
		SpecSet: []types.PropertyFilterSpec{{
			PropSet:   []types.PropertySpec{{Type: "VirtualMachine", PathSet: []string{"name"}}},
			ObjectSet: []types.ObjectSpec{{Obj: clone}},
		}},
	})
	log.Printf("%s: err=%v", current, err)

	at("Logout")
	_, err = methods.Logout(ctx, c, &types.Logout{This: sm})
	must(err)

	at("CreateFolder-NotAuthenticated")
	_, err = methods.CreateFolder(ctx, c, &types.CreateFolder{This: vmFolder, Name: "after-logout"})
	fault(err)
	current = ""
}

func readSnapshot(ctx context.Context, c *vim25.Client, vm types.ManagedObjectReference, name string) types.ManagedObjectReference {
	at(name)
	res, err := methods.RetrievePropertiesEx(ctx, c, &types.RetrievePropertiesEx{
		This: c.ServiceContent.PropertyCollector,
		SpecSet: []types.PropertyFilterSpec{{
			PropSet:   []types.PropertySpec{{Type: "VirtualMachine", PathSet: []string{"snapshot"}}},
			ObjectSet: []types.ObjectSpec{{Obj: vm}},
		}},
	})
	must(err)
	info := res.Returnval.Objects[0].PropSet[0].Val.(types.VirtualMachineSnapshotInfo)
	return *info.CurrentSnapshot
}

func taskResult(ctx context.Context, c *vim25.Client, task types.ManagedObjectReference, name string) types.ManagedObjectReference {
	at(name)
	res, err := methods.RetrievePropertiesEx(ctx, c, &types.RetrievePropertiesEx{
		This: c.ServiceContent.PropertyCollector,
		SpecSet: []types.PropertyFilterSpec{{
			PropSet:   []types.PropertySpec{{Type: "Task", PathSet: []string{"info"}}},
			ObjectSet: []types.ObjectSpec{{Obj: task}},
		}},
	})
	must(err)
	info := res.Returnval.Objects[0].PropSet[0].Val.(types.TaskInfo)
	if info.State != types.TaskInfoStateSuccess {
		log.Fatalf("task %s: %s", task, info.State)
	}
	return info.Result.(types.ManagedObjectReference)
}
