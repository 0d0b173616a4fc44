package client_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every sentinel and error type of the package is declared in errors.go:
// no other file makes an error with errors.New, declares a package-level
// ErrXxx (or errXxx) variable or gives a type an Error method.
func TestErrorsLiveInErrorsGo(t *testing.T) {
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") || name == "errors.go" {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		require.NoError(t, err)
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.GenDecl:
				if d.Tok != token.VAR {
					continue
				}
				for _, spec := range d.Specs {
					for _, id := range spec.(*ast.ValueSpec).Names {
						if strings.HasPrefix(strings.ToLower(id.Name), "err") {
							assert.Fail(t, "a sentinel outside errors.go", "%s: %s", fset.Position(id.Pos()), id.Name)
						}
					}
				}
			case *ast.FuncDecl:
				if d.Recv != nil && d.Name.Name == "Error" {
					assert.Fail(t, "an error type outside errors.go", "%s", fset.Position(d.Pos()))
				}
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "New" {
				if pkg, ok := sel.X.(*ast.Ident); ok && pkg.Name == "errors" {
					assert.Fail(t, "errors.New outside errors.go", "%s", fset.Position(call.Pos()))
				}
			}
			return true
		})
	}
}
