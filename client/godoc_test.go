package client_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every command method's doc says the Redis version that introduced the
// command ("Since Redis 6.2.0."), as issue 3 asks.
func TestCommandMethodsDocumentTheirVersion(t *testing.T) {
	want := map[string]bool{}
	for _, methods := range commandMethods {
		for _, m := range methods {
			want[m[strings.LastIndexByte(m, '.')+1:]] = true
		}
	}
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	fset := token.NewFileSet()
	seen := map[string]bool{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		require.NoError(t, err)
		f, err := parser.ParseFile(fset, name, src, parser.ParseComments)
		require.NoError(t, err)
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv == nil || !want[fn.Name.Name] || !commandReceiver(fn.Recv) {
				continue
			}
			seen[fn.Name.Name] = true
			assert.Contains(t, fn.Doc.Text(), "Since Redis", "%s: %s says no Redis version", name, fn.Name.Name)
		}
	}
	assert.Len(t, seen, len(want), "every command method was found")
}

// commandReceiver reports whether a method belongs to the command set:
// cmds (shared by Client, Conn and Pipeline), *Client or *Conn.
func commandReceiver(recv *ast.FieldList) bool {
	typ := recv.List[0].Type
	if star, ok := typ.(*ast.StarExpr); ok {
		typ = star.X
	}
	id, ok := typ.(*ast.Ident)
	return ok && (id.Name == "cmds" || id.Name == "Client" || id.Name == "Conn")
}
