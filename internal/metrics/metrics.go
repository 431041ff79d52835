// Package metrics keeps the few counters zhilian exports and writes them in
// the Prometheus text exposition format (version 0.0.4). It is small enough
// that a client library would add more than it saves.
package metrics

import (
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
)

// Registry holds the metrics of one process.
type Registry struct {
	mu       sync.Mutex
	started  time.Time
	requests map[[3]string]uint64 // method, route, status class
	durSum   map[string]float64   // route → seconds
	durCount map[string]uint64
	buckets  map[string][]uint64 // route → cumulative counts per bound
	logins   map[string]uint64   // result
	// storageFull counts requests refused because the disk was full.
	storageFull uint64
	gauges      []func(w io.Writer)
}

var bounds = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

// New returns an empty registry.
func New() *Registry {
	return &Registry{started: time.Now(), requests: map[[3]string]uint64{}, durSum: map[string]float64{},
		durCount: map[string]uint64{}, buckets: map[string][]uint64{}, logins: map[string]uint64{}}
}

// ObserveRequest counts an HTTP request by its route pattern (never the raw
// path, which would let clients create series at will).
func (r *Registry) ObserveRequest(method, route string, status int, d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.requests[[3]string{method, route, fmt.Sprintf("%dxx", status/100)}]++
	s := d.Seconds()
	r.durSum[route] += s
	r.durCount[route]++
	b := r.buckets[route]
	if b == nil {
		b = make([]uint64, len(bounds))
		r.buckets[route] = b
	}
	for i, ub := range bounds {
		if s <= ub {
			b[i]++
		}
	}
}

// ObserveLogin counts a login attempt by result: ok, bad, locked.
func (r *Registry) ObserveLogin(result string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.logins[result]++
}

// CountStorageFull counts a change refused because the database's disk
// was full.
func (r *Registry) CountStorageFull() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.storageFull++
}

// Gauge adds a metric computed at scrape time; fn writes complete lines.
func (r *Registry) Gauge(fn func(w io.Writer)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.gauges = append(r.gauges, fn)
}

func esc(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s)
}

// WriteTo writes every metric in the text format.
func (r *Registry) WriteTo(w io.Writer) (int64, error) {
	r.mu.Lock()
	var b strings.Builder
	b.WriteString("# HELP zhilian_http_requests_total HTTP requests by method, route and status class.\n# TYPE zhilian_http_requests_total counter\n")
	keys := make([][3]string, 0, len(r.requests))
	for k := range r.requests {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b [3]string) int { return strings.Compare(a[0]+a[1]+a[2], b[0]+b[1]+b[2]) })
	for _, k := range keys {
		fmt.Fprintf(&b, "zhilian_http_requests_total{method=%q,route=\"%s\",code=%q} %d\n", k[0], esc(k[1]), k[2], r.requests[k])
	}
	b.WriteString("# HELP zhilian_http_request_duration_seconds HTTP request latency by route.\n# TYPE zhilian_http_request_duration_seconds histogram\n")
	routes := make([]string, 0, len(r.durCount))
	for k := range r.durCount {
		routes = append(routes, k)
	}
	slices.Sort(routes)
	for _, rt := range routes {
		for i, ub := range bounds {
			fmt.Fprintf(&b, "zhilian_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %d\n", esc(rt), ub, r.buckets[rt][i])
		}
		fmt.Fprintf(&b, "zhilian_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %d\n", esc(rt), r.durCount[rt])
		fmt.Fprintf(&b, "zhilian_http_request_duration_seconds_sum{route=\"%s\"} %g\n", esc(rt), r.durSum[rt])
		fmt.Fprintf(&b, "zhilian_http_request_duration_seconds_count{route=\"%s\"} %d\n", esc(rt), r.durCount[rt])
	}
	b.WriteString("# HELP zhilian_logins_total Login attempts by result.\n# TYPE zhilian_logins_total counter\n")
	for _, res := range []string{"ok", "bad", "locked", "throttled", "second_factor"} {
		fmt.Fprintf(&b, "zhilian_logins_total{result=%q} %d\n", res, r.logins[res])
	}
	fmt.Fprintf(&b, "# HELP zhilian_storage_full_total Changes refused because the database's disk was full.\n# TYPE zhilian_storage_full_total counter\nzhilian_storage_full_total %d\n", r.storageFull)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Fprintf(&b, "# HELP zhilian_goroutines Goroutines in the process.\n# TYPE zhilian_goroutines gauge\nzhilian_goroutines %d\n", runtime.NumGoroutine())
	fmt.Fprintf(&b, "# HELP zhilian_heap_bytes Bytes of allocated heap objects.\n# TYPE zhilian_heap_bytes gauge\nzhilian_heap_bytes %d\n", ms.HeapAlloc)
	fmt.Fprintf(&b, "# HELP zhilian_uptime_seconds Seconds since the process started.\n# TYPE zhilian_uptime_seconds gauge\nzhilian_uptime_seconds %g\n", time.Since(r.started).Seconds())
	gauges := slices.Clone(r.gauges)
	r.mu.Unlock()
	for _, g := range gauges {
		g(&b)
	}
	n, err := io.WriteString(w, b.String())
	return int64(n), err
}
