//go:build tools

// Records kubectl, the one command this module builds (the AKS run-command stand-in runs it), so that
// `go mod tidy` keeps what it needs in go.mod and go.sum; the Kubernetes version is the control plane's.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kubectl"
)
