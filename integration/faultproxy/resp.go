package faultproxy

import (
	"bytes"
	"strconv"
	"strings"
)

// Bounds that keep a hostile or broken stream from growing the parser.
const (
	maxLine = 64 << 10 // longest header or inline command line
	maxName = 64       // bytes of a command name kept
)

type parseState int

const (
	awaitCommand    parseState = iota // a "*N" header or an inline command line
	awaitBulkHeader                   // a "$L" header
	inBulkData                        // the L bytes of a bulk string
	inBulkEnd                         // the CRLF after them
	broken                            // not RESP: counting stops for the connection
)

// commandParser follows the RESP commands a client sends, whatever the
// places where the stream is split, and reports the name of each command
// once its last byte has gone by. It belongs to one connection's
// client->server pump and is not safe for concurrent use.
type commandParser struct {
	state     parseState
	line      []byte // the header line read so far, without its CRLF
	argsLeft  int    // bulk strings left in the current command
	bulkLeft  int    // bytes left in the current bulk string or its CRLF
	firstBulk bool   // the current bulk string is the command name
	name      []byte
}

// feed parses data and calls done with the upper-cased name of each command
// completed by it.
func (c *commandParser) feed(data []byte, done func(name string)) {
	for len(data) > 0 && c.state != broken {
		switch c.state {
		case awaitCommand, awaitBulkHeader:
			end := bytes.IndexByte(data, '\n')
			if end < 0 {
				c.appendLine(data)
				return
			}
			c.appendLine(data[:end])
			data = data[end+1:]
			if c.state != broken {
				c.endLine(done)
			}
		case inBulkData:
			k := min(len(data), c.bulkLeft)
			if c.firstBulk {
				c.name = append(c.name, data[:min(k, max(maxName-len(c.name), 0))]...)
			}
			c.bulkLeft -= k
			data = data[k:]
			if c.bulkLeft == 0 {
				c.state, c.bulkLeft = inBulkEnd, 2
			}
		case inBulkEnd:
			k := min(len(data), c.bulkLeft)
			c.bulkLeft -= k
			data = data[k:]
			if c.bulkLeft == 0 {
				c.endBulk(done)
			}
		}
	}
}

func (c *commandParser) appendLine(part []byte) {
	if len(c.line)+len(part) > maxLine {
		c.state = broken
		return
	}
	c.line = append(c.line, part...)
}

// endLine handles a complete header or inline line held in c.line.
func (c *commandParser) endLine(done func(name string)) {
	line := bytes.TrimSuffix(c.line, []byte("\r"))
	c.line = c.line[:0]
	if c.state == awaitBulkHeader {
		size, ok := header(line, '$')
		if !ok || size < 0 {
			c.state = broken
			return
		}
		c.state, c.bulkLeft = inBulkData, size
		if size == 0 {
			c.state, c.bulkLeft = inBulkEnd, 2
		}
		return
	}
	if len(line) > 0 && line[0] == '*' {
		count, ok := header(line, '*')
		if !ok {
			c.state = broken
			return
		}
		if count > 0 { // like Redis, ignore "*0" and "*-1"
			c.state, c.argsLeft, c.firstBulk = awaitBulkHeader, count, true
			c.name = c.name[:0]
		}
		return
	}
	if fields := strings.Fields(string(line)); len(fields) > 0 {
		done(strings.ToUpper(fields[0])) // an inline command
	}
}

func (c *commandParser) endBulk(done func(name string)) {
	c.firstBulk = false
	c.argsLeft--
	if c.argsLeft > 0 {
		c.state = awaitBulkHeader
		return
	}
	c.state = awaitCommand
	done(strings.ToUpper(string(c.name)))
}

// header parses "<kind><integer>".
func header(line []byte, kind byte) (int, bool) {
	if len(line) < 2 || line[0] != kind {
		return 0, false
	}
	n, err := strconv.Atoi(string(line[1:]))
	return n, err == nil
}
