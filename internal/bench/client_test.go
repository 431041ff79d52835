package bench

import (
	"context"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
)

// TestWire reads every shape of answer net/http's server writes over one
// kept connection: a length, chunks, no body, an error, a closed
// connection, and a kept one the server has since closed; the session's
// cookie and the bearer token go with each request.
func TestWire(t *testing.T) {
	var dials atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c, err := r.Cookie("s"); err != nil || c.Value != "v1" {
			http.Error(w, "no cookie", http.StatusUnauthorized)
			return
		}
		if r.Header.Get("Authorization") != "Bearer tok" {
			http.Error(w, "no token", http.StatusUnauthorized)
			return
		}
		switch r.URL.Path {
		case "/length":
			_, _ = w.Write([]byte(strings.Repeat("页", 30000)))
		case "/chunks":
			for range 5 {
				_, _ = w.Write([]byte(strings.Repeat("x", 9000)))
				w.(http.Flusher).Flush()
			}
		case "/none":
			w.WriteHeader(http.StatusNoContent)
		case "/close":
			w.Header().Set("Connection", "close")
			_, _ = w.Write([]byte("bye"))
		default:
			http.NotFound(w, r)
		}
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			dials.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()

	jar, _ := cookiejar.New(nil)
	u, _ := url.Parse(srv.URL)
	jar.SetCookies(u, []*http.Cookie{{Name: "s", Value: "v1"}})
	w, err := newWire(srv.URL, target{client: &http.Client{Jar: jar}, bearer: "tok"})
	if err != nil {
		t.Fatal(err)
	}
	defer w.close()
	ctx := context.Background()
	ask := func(path string, want int) {
		t.Helper()
		status, err := w.get(ctx, path)
		if err != nil || status != want {
			t.Fatalf("GET %s: %d, %v; want %d", path, status, err, want)
		}
	}
	for range 3 {
		ask("/length", 200)
		ask("/chunks", 200)
		ask("/none", 204)
		ask("/missing", 404)
	}
	if n := dials.Load(); n != 1 {
		t.Errorf("%d connections for 12 kept-alive requests, want 1", n)
	}
	ask("/close", 200)
	ask("/length", 200)
	if n := dials.Load(); n != 2 {
		t.Errorf("%d connections after the server closed one, want 2", n)
	}
	// The server drops its idle connections: the next request dials again.
	srv.CloseClientConnections()
	ask("/chunks", 200)
	if n := dials.Load(); n != 3 {
		t.Errorf("%d connections after the server dropped the kept one, want 3", n)
	}

	anon, err := newWire(srv.URL, target{client: &http.Client{}})
	if err != nil {
		t.Fatal(err)
	}
	defer anon.close()
	if status, err := anon.get(ctx, "/length"); err != nil || status != http.StatusUnauthorized {
		t.Errorf("GET without the session: %d, %v; want 401", status, err)
	}
}
