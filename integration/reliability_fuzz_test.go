//go:build integration

package integration

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/integration/hostile"
	"github.com/actoredis/actoredis/resp"
)

// fuzzCorpusDir is resp's fuzz corpus, seen from this package's directory.
const fuzzCorpusDir = "../resp/testdata/fuzz"

// seedTargets are the fuzz targets of resp that take the R14 corpus.
var seedTargets = []string{"FuzzDecode", "FuzzChunking"}

// seedLimit keeps seeds short: FuzzChunking ignores inputs over 512 bytes,
// and short seeds keep minimizing fast.
const seedLimit = 512

// R15, fuzzing, as it runs in CI: the committed corpus of resp's fuzz
// targets (which `go test ./resp/` runs as tests in make test) must hold
// every R14 case as a seed, and every FuzzDecode input must decode with
// the default limits without a panic, within 1 s. Fuzzing proper
// (-fuzztime) is make fuzz and make chaos. R15_WRITE_SEEDS=1 writes the
// R14 seeds into the corpus.
func TestR15FuzzCorpus(t *testing.T) {
	s := newScenario(t, "R15", nil)
	write := os.Getenv("R15_WRITE_SEEDS") == "1"
	missing := 0
	for _, target := range seedTargets {
		dir := filepath.Join(fuzzCorpusDir, target)
		if write {
			require.NoError(t, os.MkdirAll(dir, 0o755))
		}
		for _, cs := range hostile.Cases() {
			path := filepath.Join(dir, "r14-"+cs.Name)
			want := corpusFile(cs.Seed(seedLimit))
			if write {
				require.NoError(t, os.WriteFile(path, want, 0o644))
				continue
			}
			got, err := os.ReadFile(path)
			if err != nil || !bytes.Equal(got, want) {
				missing++
				t.Errorf("%s: missing or stale seed of R14 case %s; run R15_WRITE_SEEDS=1 go test -tags integration -run TestR15 ./integration/", path, cs.Name)
			}
		}
	}

	// Every FuzzDecode input decodes without a panic, quickly.
	entries, err := os.ReadDir(filepath.Join(fuzzCorpusDir, "FuzzDecode"))
	require.NoError(t, err)
	var took samples
	decoded := 0
	for _, e := range entries {
		raw, err := os.ReadFile(filepath.Join(fuzzCorpusDir, "FuzzDecode", e.Name()))
		require.NoError(t, err)
		data, err := parseCorpusFile(raw)
		require.NoError(t, err, e.Name())
		start := time.Now()
		require.NotPanics(t, func() { decodeAll(data) }, e.Name())
		took.add(time.Since(start))
		decoded++
	}
	sizes := map[string]int{}
	for _, target := range []string{"FuzzDecode", "FuzzChunking", "FuzzRoundTrip"} {
		entries, _ := os.ReadDir(filepath.Join(fuzzCorpusDir, target))
		sizes[target] = len(entries)
	}
	s.fig["corpus_size"] = sizes
	s.fig["r14_seeds"], s.fig["seeds_missing"], s.fig["decoded"] = len(hostile.Cases()), missing, decoded
	s.fig["new_crashers"] = 0 // a crasher would have failed the decode above or `go test ./resp/`
	took.figures(s.fig, "decode")
	assert.Zero(t, missing)
	assert.LessOrEqual(t, took.max(), time.Second, "no input may take over 1 s")
}

// corpusFile renders one []byte input in the format of Go's fuzzing
// corpus files.
func corpusFile(data []byte) []byte {
	return []byte("go test fuzz v1\n[]byte(" + strconv.Quote(string(data)) + ")\n")
}

// parseCorpusFile reads back a corpus file holding one []byte input.
func parseCorpusFile(raw []byte) ([]byte, error) {
	lines := strings.SplitN(strings.TrimSpace(string(raw)), "\n", 2)
	if len(lines) != 2 || lines[0] != "go test fuzz v1" {
		return nil, errors.New("not a go fuzz corpus file")
	}
	arg, prefixed := strings.CutPrefix(lines[1], "[]byte(")
	arg, suffixed := strings.CutSuffix(arg, ")")
	if !prefixed || !suffixed {
		return nil, errors.New("not one []byte input")
	}
	s, err := strconv.Unquote(arg)
	return []byte(s), err
}

// decodeAll decodes values from b with the default limits until an error.
func decodeAll(b []byte) {
	r := resp.NewReader(bytes.NewReader(b), resp.Limits{})
	for {
		if _, err := r.ReadValue(); err != nil {
			if err != io.EOF && err != io.ErrUnexpectedEOF && !errors.Is(err, resp.ErrProtocol) {
				panic("unexpected decoder error: " + err.Error())
			}
			return
		}
	}
}
