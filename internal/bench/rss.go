package bench

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"sync"
)

// The process's peak resident set (VmHWM), reset between phases through
// /proc/self/clear_refs so that each phase reports its own peak; the
// highest of them is kept for the whole run.
var (
	rssMu  sync.Mutex
	rssMax float64
)

// resetPeak starts a phase's peak afresh (Linux 4.0+; elsewhere the
// phase reports the run's peak so far).
func resetPeak() {
	rssMu.Lock()
	rssMax = max(rssMax, vmHWM())
	rssMu.Unlock()
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// peakRSS is the phase's peak resident set in MiB.
func peakRSS() float64 {
	v := vmHWM()
	rssMu.Lock()
	rssMax = max(rssMax, v)
	rssMu.Unlock()
	return v
}

// peakRSSEver is the run's peak resident set in MiB.
func peakRSSEver() float64 {
	peakRSS()
	rssMu.Lock()
	defer rssMu.Unlock()
	return rssMax
}

func vmHWM() float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if rest, ok := strings.CutPrefix(s.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}
