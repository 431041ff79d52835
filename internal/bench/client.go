package bench

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// wire is one keep-alive HTTP/1.1 connection of the load, owned by one of
// the load's goroutines: it writes a request whole and reads the answer's
// status and body with as little work as HTTP allows. The load shares the
// machine's cores with the server it measures, and net/http's Transport
// (two goroutines a connection, a request handed between them through
// channels, headers parsed into maps) took 11 % of the case page's CPU at
// 100,000 cases: a page's figure was the server's work plus the load's.
// The sign-in and the traced requests still go through net/http.
type wire struct {
	addr string
	conn net.Conn
	r    *bufio.Reader
	req  []byte // the last request, kept for the next with the same path
	path string
	head string // Host, the session cookie or bearer token: every request's headers
}

// newWire is a connection for t's requests to base: t's client's cookies
// (the signed-in session) or its bearer token go with every request.
func newWire(base string, t target) (*wire, error) {
	u, err := url.Parse(base)
	if err != nil {
		return nil, err
	}
	var h strings.Builder
	h.WriteString("Host: " + u.Host + "\r\nUser-Agent: zhilian-bench\r\n")
	if t.client != nil && t.client.Jar != nil {
		var cs []string
		for _, c := range t.client.Jar.Cookies(u) {
			cs = append(cs, c.Name+"="+c.Value)
		}
		if len(cs) > 0 {
			h.WriteString("Cookie: " + strings.Join(cs, "; ") + "\r\n")
		}
	}
	if t.bearer != "" {
		h.WriteString("Authorization: Bearer " + t.bearer + "\r\n")
	}
	return &wire{addr: u.Host, head: h.String()}, nil
}

// get asks for path and reads the answer whole, returning its status. A
// connection the server closed is dialled again once.
func (w *wire) get(ctx context.Context, path string) (int, error) {
	if path != w.path || w.req == nil {
		w.req = []byte("GET " + path + " HTTP/1.1\r\n" + w.head + "\r\n")
		w.path = path
	}
	for attempt := 0; ; attempt++ {
		fresh := w.conn == nil
		if fresh {
			var d net.Dialer
			c, err := d.DialContext(ctx, "tcp", w.addr)
			if err != nil {
				return 0, err
			}
			w.conn, w.r = c, bufio.NewReaderSize(c, 64<<10)
		}
		if dl, ok := ctx.Deadline(); ok {
			_ = w.conn.SetDeadline(dl)
		} else {
			_ = w.conn.SetDeadline(time.Now().Add(time.Minute))
		}
		status, keep, err := w.roundTrip()
		if err == nil {
			if !keep {
				w.close()
			}
			return status, nil
		}
		w.close()
		// A kept connection the server had closed fails before any
		// answer: dial again, once.
		if fresh || attempt > 0 || !errors.Is(err, errStale) {
			return 0, err
		}
	}
}

var errStale = errors.New("connection closed before the answer")

func (w *wire) close() {
	if w.conn != nil {
		_ = w.conn.Close()
		w.conn, w.r = nil, nil
	}
}

// roundTrip writes the request and reads one answer: the status line, the
// headers (Content-Length or chunked, Connection) and the body, discarded.
func (w *wire) roundTrip() (status int, keep bool, err error) {
	if _, err := w.conn.Write(w.req); err != nil {
		return 0, false, errStale
	}
	line, err := w.r.ReadSlice('\n')
	if err != nil {
		if len(line) == 0 {
			// Closed or reset before a byte of the answer: a GET, so
			// asked again on a new connection.
			return 0, false, errStale
		}
		return 0, false, err
	}
	// "HTTP/1.1 200 OK\r\n"
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) {
		return 0, false, fmt.Errorf("bad status line %q", line)
	}
	status, err = strconv.Atoi(string(line[9:12]))
	if err != nil {
		return 0, false, fmt.Errorf("bad status line %q", line)
	}
	length, chunked, keep := int64(-1), false, true
	for {
		line, err := w.r.ReadSlice('\n')
		if err != nil {
			return 0, false, err
		}
		line = bytes.TrimRight(line, "\r\n")
		if len(line) == 0 {
			break
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			return 0, false, fmt.Errorf("bad header %q", line)
		}
		value = bytes.TrimSpace(value)
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			if length, err = strconv.ParseInt(string(value), 10, 64); err != nil || length < 0 {
				return 0, false, fmt.Errorf("bad Content-Length %q", value)
			}
		case bytes.EqualFold(name, []byte("Transfer-Encoding")):
			chunked = bytes.EqualFold(value, []byte("chunked"))
		case bytes.EqualFold(name, []byte("Connection")):
			keep = !bytes.EqualFold(value, []byte("close"))
		}
	}
	switch {
	case chunked:
		err = discardChunks(w.r)
	case length >= 0:
		_, err = w.r.Discard(int(length))
	case status == http.StatusNoContent || status == http.StatusNotModified || status/100 == 1:
	default:
		// No length: the body runs to the connection's end.
		_, err = io.Copy(io.Discard, w.r)
		keep = false
	}
	return status, keep, err
}

// discardChunks reads a chunked body and its trailer.
func discardChunks(r *bufio.Reader) error {
	for {
		line, err := r.ReadSlice('\n')
		if err != nil {
			return err
		}
		size, _, _ := bytes.Cut(bytes.TrimRight(line, "\r\n"), []byte(";"))
		n, err := strconv.ParseInt(string(size), 16, 64)
		if err != nil || n < 0 {
			return fmt.Errorf("bad chunk size %q", line)
		}
		if n == 0 {
			for {
				line, err := r.ReadSlice('\n')
				if err != nil {
					return err
				}
				if len(bytes.TrimRight(line, "\r\n")) == 0 {
					return nil
				}
			}
		}
		if _, err := r.Discard(int(n) + 2); err != nil {
			return err
		}
	}
}
