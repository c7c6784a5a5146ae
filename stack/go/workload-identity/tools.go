//go:build tools

// Records the command this module exists to build, so that `go mod tidy`
// keeps everything it needs in go.mod and go.sum.
package tools

import _ "github.com/Azure/azure-workload-identity/cmd/webhook"
