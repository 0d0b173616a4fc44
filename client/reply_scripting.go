package client

import (
	"time"

	"github.com/actoredis/actoredis/resp"
)

// The result types of the scripting group and their decoders; the maps of
// FUNCTION LIST and FUNCTION STATS are RESP3 maps or RESP2 flat arrays,
// read alike.

// scriptToBools reads SCRIPT EXISTS: integers 1 and 0 (RESP2 and RESP3).
func scriptToBools(v resp.Value) ([]bool, error) { return v.AsBools() }

// FunctionLibrary describes a library (FUNCTION LIST). Code is set only
// with FunctionListOptions.WithCode.
type FunctionLibrary struct {
	Name      string
	Engine    string
	Functions []FunctionInfo
	Code      string
}

// FunctionInfo describes one function of a library: its description (""
// when it has none) and flags ("no-writes", "allow-oom", ...).
type FunctionInfo struct {
	Name        string
	Description string
	Flags       []string
}

// scriptToLibraries reads FUNCTION LIST: an array of maps with
// library_name, engine, functions and, with WITHCODE, library_code.
func scriptToLibraries(v resp.Value) ([]FunctionLibrary, error) {
	elems, err := v.AsValues()
	if err != nil {
		return nil, err
	}
	out := make([]FunctionLibrary, len(elems))
	for i, e := range elems {
		s, err := streamFieldsOf(e)
		if err != nil {
			return nil, err
		}
		lib := FunctionLibrary{
			Name:   s.str("library_name"),
			Engine: s.str("engine"),
			Code:   s.str("library_code"),
		}
		for _, fv := range s.list("functions") {
			fs, err := streamFieldsOf(fv)
			if err != nil {
				return nil, err
			}
			fn := FunctionInfo{Name: fs.str("name"), Description: fs.str("description"), Flags: []string{}}
			if flags, ok := fs.m["flags"]; ok && !flags.IsNull() {
				if fn.Flags, err = flags.AsStrings(); err != nil {
					return nil, err
				}
			}
			if fs.err != nil {
				return nil, fs.err
			}
			lib.Functions = append(lib.Functions, fn)
		}
		if s.err != nil {
			return nil, s.err
		}
		out[i] = lib
	}
	return out, nil
}

// FunctionStats is the answer of FUNCTION STATS: the function running now
// (nil when none) and, per engine ("LUA"), how many libraries and
// functions are loaded.
type FunctionStats struct {
	Running *RunningFunction
	Engines map[string]FunctionEngineStats
}

// RunningFunction is the function FUNCTION STATS found running: its name,
// the command that called it with its arguments, and for how long.
type RunningFunction struct {
	Name     string
	Command  []string
	Duration time.Duration
}

// FunctionEngineStats counts the libraries and functions of one engine.
type FunctionEngineStats struct {
	Libraries int64
	Functions int64
}

// scriptToFunctionStats reads FUNCTION STATS: a map of running_script
// (null, or a map of name, command and duration_ms) and engines (a map of
// engine name to a map of libraries_count and functions_count).
func scriptToFunctionStats(v resp.Value) (FunctionStats, error) {
	s, err := streamFieldsOf(v)
	if err != nil {
		return FunctionStats{}, err
	}
	var st FunctionStats
	if rv, ok := s.m["running_script"]; ok && !rv.IsNull() {
		rs, err := streamFieldsOf(rv)
		if err != nil {
			return FunctionStats{}, err
		}
		run := &RunningFunction{Name: rs.str("name"), Duration: time.Duration(rs.int("duration_ms")) * time.Millisecond}
		if cv, ok := rs.m["command"]; ok && !cv.IsNull() {
			if run.Command, err = cv.AsStrings(); err != nil {
				return FunctionStats{}, err
			}
		}
		if rs.err != nil {
			return FunctionStats{}, rs.err
		}
		st.Running = run
	}
	st.Engines = map[string]FunctionEngineStats{}
	if ev, ok := s.m["engines"]; ok && !ev.IsNull() {
		engines, err := ev.AsMap()
		if err != nil {
			return FunctionStats{}, err
		}
		for name, e := range engines {
			es, err := streamFieldsOf(e)
			if err != nil {
				return FunctionStats{}, err
			}
			st.Engines[name] = FunctionEngineStats{Libraries: es.int("libraries_count"), Functions: es.int("functions_count")}
			if es.err != nil {
				return FunctionStats{}, es.err
			}
		}
	}
	return st, nil
}
