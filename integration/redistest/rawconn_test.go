package redistest

import (
	"bufio"
	"reflect"
	"strings"
	"testing"
)

// Hermetic tests of the harness's own pieces; the tests against a real
// redis-server are in redistest_integration_test.go.

func TestReadReply(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want any
	}{
		{"simple", "+PONG\r\n", "PONG"},
		{"error", "-ERR bad\r\n", &ReplyError{Message: "ERR bad"}},
		{"integer", ":-42\r\n", int64(-42)},
		{"bulk", "$5\r\nhe\r\no\r\n", "he\r\no"},
		{"empty bulk", "$0\r\n\r\n", ""},
		{"nil bulk", "$-1\r\n", nil},
		{"nil array", "*-1\r\n", nil},
		{"array", "*3\r\n:1\r\n$1\r\na\r\n*1\r\n+x\r\n", []any{int64(1), "a", []any{"x"}}},
		{"error inside array", "*1\r\n-WRONGTYPE no\r\n", []any{&ReplyError{Message: "WRONGTYPE no"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readReply(bufio.NewReader(strings.NewReader(tt.in)), 0)
			if err != nil {
				t.Fatalf("readReply(%q): %v", tt.in, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("readReply(%q) = %#v, want %#v", tt.in, got, tt.want)
			}
		})
	}
}

func TestReadReplyRejectsMalformed(t *testing.T) {
	for _, in := range []string{
		"",
		"\r\n",
		"?x\r\n",
		"+no crlf\n",
		":abc\r\n",
		"$-5\r\n",
		"*-7\r\n",
		"$3\r\nabcd\r\n",
		"$99999999999\r\n",
		"*99999999\r\n",
		"$3\r\nab",
		strings.Repeat("*1\r\n", maxDepth+2) + ":1\r\n",
		"+" + strings.Repeat("x", maxLine+1) + "\r\n",
	} {
		if got, err := readReply(bufio.NewReader(strings.NewReader(in)), 0); err == nil {
			t.Errorf("readReply(%.40q) = %#v, want an error", in, got)
		}
	}
}

func TestAppendCommand(t *testing.T) {
	got := string(appendCommand(nil, []string{"SET", "k", ""}))
	want := "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n"
	if got != want {
		t.Fatalf("appendCommand = %q, want %q", got, want)
	}
}

func TestParseInfo(t *testing.T) {
	got := parseInfo("# Server\r\nredis_version:7.0.15\r\nprocess_id:12\r\n\r\n# Clients\r\nconnected_clients:1\r\n")
	want := map[string]string{"redis_version": "7.0.15", "process_id": "12", "connected_clients": "1"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("parseInfo = %v, want %v", got, want)
	}
}

func TestQuoteArgsHidesPasswords(t *testing.T) {
	got := quoteArgs([]string{"--save", "", "--requirepass", "S3CRET", "--masterauth", "S3CRET"})
	if strings.Contains(got, "S3CRET") {
		t.Fatalf("quoteArgs shows the password: %s", got)
	}
	if !strings.Contains(got, `--save ""`) {
		t.Fatalf("quoteArgs = %s, want the empty argument quoted", got)
	}
}

func TestConfigPassword(t *testing.T) {
	cfg := newConfig([]Option{WithArgs("--maxmemory", "1mb", "--requirepass", "x")})
	if got := cfg.password(); got != "x" {
		t.Fatalf("password() = %q, want x", got)
	}
	if got := newConfig(nil).password(); got != "" {
		t.Fatalf("password() without --requirepass = %q", got)
	}
}

func TestLastLines(t *testing.T) {
	if got := lastLines("a\nb\nc\n", 2); got != "b\nc" {
		t.Fatalf("lastLines = %q", got)
	}
	if got := lastLines("a", 5); got != "a" {
		t.Fatalf("lastLines = %q", got)
	}
}

func TestKindString(t *testing.T) {
	for k, want := range map[Kind]string{KindProcess: "process", KindDocker: "docker", KindExternal: "external", 0: "Kind(0)"} {
		if got := k.String(); got != want {
			t.Errorf("Kind(%d).String() = %q, want %q", int(k), got, want)
		}
	}
}
