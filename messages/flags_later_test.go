package messages

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestKnown(t *testing.T) {
	for _, name := range []string{"GET", "append", "CLIENT LIST", "client|list", "HGETDEL", "delifeq",
		"MSETEX", "COMMANDLOG GET", "cluster|migrateslots", "ClusterScan"} {
		assert.True(t, Known(name), name)
	}
	for _, name := range []string{"", "nosuch", "client|nosuch", string(make([]byte, maxName+1))} {
		assert.False(t, Known(name), name)
	}
}

// The value conditions of SET and DELEX, and HSETEX's NX and FNX, make a
// repeat answer differently: not idempotent through Do either.
func TestLookupFlagsOfLaterCommands(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want Flags
	}{
		{"set", []string{"k", "v", "IFEQ", "old"}, 0},
		{"SET", []string{"k", "v", "ifne", "old"}, 0},
		{"set", []string{"k", "v", "IFDEQ", "d"}, 0},
		{"set", []string{"k", "v", "IFDNE", "d"}, 0},
		{"set", []string{"k", "v", "XX"}, Idempotent},
		{"delex", []string{"k"}, Idempotent},
		{"delex", []string{"k", "IFEQ", "v"}, 0},
		{"hsetex", []string{"h", "EX", "1", "FIELDS", "1", "f", "v"}, Idempotent},
		{"hsetex", []string{"h", "FNX", "FIELDS", "1", "f", "v"}, 0},
		{"hsetex", []string{"h", "NX", "FIELDS", "1", "f", "v"}, 0},
		{"delifeq", []string{"k", "v"}, 0},
		{"hgetdel", []string{"h", "FIELDS", "1", "f"}, 0},
		{"msetex", []string{"1", "k", "v"}, 0},
		{"digest", []string{"k"}, ReadOnly | Idempotent},
		{"clusterscan", []string{"0"}, ReadOnly | Idempotent},
		{"commandlog", []string{"get", "1", "slow"}, Idempotent},
		{"client", []string{"capa", "redirect"}, Stateful},
		{"CLIENT", []string{"IMPORT-SOURCE", "ON"}, Stateful},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, LookupFlags(tt.name, tt.args), "%s %v", tt.name, tt.args)
	}
}
