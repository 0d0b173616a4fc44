package client

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestScriptingReplies(t *testing.T) {
	flags := "*2\n$9\nno-writes\n$9\nallow-oom\n"
	fn := "$4\nname\n$1\nf\n$11\ndescription\n_\n$5\nflags\n" + flags
	lib := "$12\nlibrary_name\n$1\nl\n$6\nengine\n$3\nLUA\n$9\nfunctions\n*1\n"
	want := []FunctionLibrary{{Name: "l", Engine: "LUA", Functions: []FunctionInfo{{Name: "f", Flags: []string{"no-writes", "allow-oom"}}}}}
	for _, wire := range []string{
		"*1\n*6\n" + lib + "*6\n" + fn,
		"*1\n%3\n" + lib + "%3\n" + fn,
	} {
		got, err := convert(t, scriptToLibraries, wire)
		require.NoError(t, err)
		assert.Equal(t, want, got)
	}

	running := "$14\nrunning_script\n%3\n$4\nname\n$1\nf\n$7\ncommand\n*3\n$5\nFCALL\n$1\nf\n$1\n0\n$11\nduration_ms\n:1500\n"
	engines := "$7\nengines\n%1\n$3\nLUA\n%2\n$15\nlibraries_count\n:1\n$15\nfunctions_count\n:2\n"
	got, err := convert(t, scriptToFunctionStats, "%2\n"+running+engines)
	require.NoError(t, err)
	assert.Equal(t, FunctionStats{
		Running: &RunningFunction{Name: "f", Command: []string{"FCALL", "f", "0"}, Duration: 1500 * time.Millisecond},
		Engines: map[string]FunctionEngineStats{"LUA": {Libraries: 1, Functions: 2}},
	}, got)
	got, err = convert(t, scriptToFunctionStats, "*4\n$14\nrunning_script\n$-1\n"+
		"$7\nengines\n*2\n$3\nLUA\n*4\n$15\nlibraries_count\n:0\n$15\nfunctions_count\n:0\n")
	require.NoError(t, err)
	assert.Equal(t, FunctionStats{Engines: map[string]FunctionEngineStats{"LUA": {}}}, got)

	bools, err := convert(t, scriptToBools, "*2\n:1\n:0\n")
	require.NoError(t, err)
	assert.Equal(t, []bool{true, false}, bools)
}
