/** Not implemented yet: this module holds only its package until its own issue is done. */
package io.convergence.kubernetes;
