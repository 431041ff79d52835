// Command serveload loads a running `zhilian serve` on a province that
// `zhilian bench` built, signed in as the bench's accounts, and prints
// each page's latencies with the server process's resident memory: the
// bench measures its own process (server and load generator together),
// this a separate server.
//
//	zhilian bench --db P.db --cases 1000000        # builds the province, keeps P.db
//	zhilian serve --db P.db --addr 127.0.0.1:8099 &
//	go run ./scripts/serveload --pid $! [--conns 32] [--duration 25s]
//
// The watchdog's home page is left out: its account has a second factor
// only the bench knows.
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"time"
)

// password is the bench accounts' (internal/bench.Password).
const password = "Zl-bench-2026-province"

func main() {
	base := flag.String("base", "http://127.0.0.1:8099", "the server's address")
	pid := flag.String("pid", "", "the server's process id, for its memory")
	conns := flag.Int("conns", 32, "concurrent connections per page")
	dur := flag.Duration("duration", 25*time.Second, "how long each page is loaded")
	name := flag.String("name", "张", "a name prefix to search the case list for")
	number := flag.String("number", "执1234号", "a partial case number to search for")
	flag.Parse()
	pages := []struct{ user, path string }{
		{"bench.command", "/"},
		{"bench.bureau", "/"},
		{"bench.bureau", "/cases"},
		{"bench.bureau", "/cases?q=" + url.QueryEscape(*number)},
		{"bench.bureau", "/cases?q=" + url.QueryEscape(*name)},
		{"bench.bureau", "/visit-stats"},
	}
	fmt.Printf("at rest: %s\n", memory(*pid))
	for _, p := range pages {
		c, err := signIn(*base, p.user)
		if err != nil {
			log.Fatal(err)
		}
		lat, bad := load(c, *base+p.path, *conns, *dur)
		fmt.Printf("%-14s %-36s n=%d non-200=%d p50=%.1f p95=%.1f p99=%.1f ms, %.0f req/s | %s\n",
			p.user, p.path, len(lat), bad, pct(lat, 50), pct(lat, 95), pct(lat, 99), float64(len(lat))/dur.Seconds(), memory(*pid))
	}
}

// signIn returns a client with the session of user.
func signIn(base, user string) (*http.Client, error) {
	jar, err := cookiejar.New(nil)
	if err != nil {
		return nil, err
	}
	c := &http.Client{Jar: jar, Timeout: 5 * time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: 256},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, err := http.NewRequest(http.MethodPost, base+"/login", strings.NewReader(url.Values{"username": {user}, "password": {password}}.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if loc := res.Header.Get("Location"); loc != "/" {
		return nil, fmt.Errorf("signing in as %s: %d, to %q", user, res.StatusCode, loc)
	}
	return c, nil
}

// load gets url with conns connections for d: the latencies of the 200s
// in milliseconds, and how many were not 200.
func load(c *http.Client, u string, conns int, d time.Duration) (lat []float64, bad int) {
	var mu sync.Mutex
	var wg sync.WaitGroup
	end := time.Now().Add(d)
	for range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(end) {
				t0 := time.Now()
				res, err := c.Get(u)
				ok := err == nil && res.StatusCode == http.StatusOK
				if err == nil {
					_, _ = io.Copy(io.Discard, res.Body)
					res.Body.Close()
				}
				ms := float64(time.Since(t0).Microseconds()) / 1000
				mu.Lock()
				if ok {
					lat = append(lat, ms)
				} else {
					bad++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	sort.Float64s(lat)
	return lat, bad
}

func pct(ms []float64, p int) float64 {
	if len(ms) == 0 {
		return 0
	}
	return ms[min(len(ms)-1, len(ms)*p/100)]
}

// memory is the process's resident set now and at its peak, as Linux
// counts them (/proc/PID/status).
func memory(pid string) string {
	if pid == "" {
		return "no --pid"
	}
	b, err := os.ReadFile("/proc/" + pid + "/status")
	if err != nil {
		return err.Error()
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmRSS") || strings.HasPrefix(l, "VmHWM") {
			out = append(out, strings.Join(strings.Fields(l), " "))
		}
	}
	return strings.Join(out, ", ")
}
