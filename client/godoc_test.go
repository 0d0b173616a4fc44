package client_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sinceRedis is the one form of the version line: the last sentence of a
// command method's doc.
var sinceRedis = regexp.MustCompile(`Since Redis (\d+)\.(\d+)\.(\d+)\.$`)

// Every command method's doc ends with the Redis version that introduced
// the command, or the later one its form needs, in one form ("Since Redis
// 6.2.0."), said once.
func TestCommandMethodsDocumentTheirVersion(t *testing.T) {
	since := map[string]string{}
	for _, c := range readCommands(t) {
		since[c.name] = c.since
	}
	want := map[string]string{} // method -> the version of its command
	for name, methods := range commandMethods {
		for _, m := range methods {
			want[m[strings.LastIndexByte(m, '.')+1:]] = since[name]
		}
	}
	seen := map[string]bool{}
	for _, md := range commandMethodDocs(t) {
		name, doc := md.file, md.doc
		oldest, ok := want[md.name]
		if !ok {
			continue
		}
		seen[md.name] = true
		assert.Equal(t, 1, strings.Count(doc, "Since Redis"), "%s: %s says \"Since Redis\" %d times", name, md.name, strings.Count(doc, "Since Redis"))
		m := sinceRedis.FindStringSubmatch(doc)
		if !assert.NotNil(t, m, "%s: %s does not end with \"Since Redis X.Y.Z.\"", name, md.name) {
			continue
		}
		assert.False(t, olderVersion(m[1:], strings.Split(oldest, ".")), "%s: %s says Redis %s.%s.%s, older than its command (%s)", name, md.name, m[1], m[2], m[3], oldest)
	}
	assert.Len(t, seen, len(want), "every command method was found")
}

// olderVersion reports whether version a is older than b, both split at
// the dots.
func olderVersion(a, b []string) bool {
	for i := 0; i < len(a) && i < len(b); i++ {
		x, _ := strconv.Atoi(a[i])
		y, _ := strconv.Atoi(b[i])
		if x != y {
			return x < y
		}
	}
	return len(a) < len(b)
}

// serversLine is the form of the servers line of a command added after
// Redis 7.0: "Redis 7.4+, Valkey 9.0+." (or one of the two).
var serversLine = regexp.MustCompile(`(Redis (\d+)\.(\d+)\+(, Valkey \d+\.\d+\+)?|Valkey (\d+)\.(\d+)\+)\.`)

// The methods of the commands added after Redis 7.0 say which servers
// have them ("Redis 7.4+, Valkey 9.0+."), and no "Since Redis" line.
func TestCommandMethodsAfter70NameTheirServers(t *testing.T) {
	want := map[string]bool{}
	for _, methods := range commandMethodsRedis74 {
		for _, m := range methods {
			want[m[strings.LastIndexByte(m, '.')+1:]] = true
		}
	}
	seen := map[string]bool{}
	for _, md := range commandMethodDocs(t) {
		if !want[md.name] {
			continue
		}
		seen[md.name] = true
		assert.Regexp(t, serversLine, md.doc, "%s: %s names no servers", md.file, md.name)
		assert.NotContains(t, md.doc, "Since Redis", "%s: %s", md.file, md.name)
	}
	assert.Len(t, seen, len(want), "every method of commandMethodsRedis74 was found")
}

// methodDoc is the doc comment of a command method, its spaces folded.
type methodDoc struct{ file, name, doc string }

// commandMethodDocs reads the docs of every command method (see
// commandReceiver) in the package's files.
func commandMethodDocs(t *testing.T) []methodDoc {
	t.Helper()
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	fset := token.NewFileSet()
	var out []methodDoc
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		require.NoError(t, err)
		for _, d := range f.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv != nil && commandReceiver(fn.Recv) {
				out = append(out, methodDoc{file: name, name: fn.Name.Name, doc: strings.Join(strings.Fields(fn.Doc.Text()), " ")})
			}
		}
	}
	return out
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
