//go:build tools

// Records the commands this module exists to build, so that `go mod tidy`
// keeps everything they need in go.mod and go.sum.
package tools

import (
	_ "github.com/kedacore/keda/v2/cmd/adapter"
	_ "github.com/kedacore/keda/v2/cmd/operator"
	_ "github.com/kedacore/keda/v2/cmd/webhooks"
)
