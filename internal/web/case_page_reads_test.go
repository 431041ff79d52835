package web_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
)

// TestCasePageReadsCaseOnce: the case page reads the case once, its acts
// and patrol findings coming from the case already loaded and checked
// (issue 19: it read the case three times), and still shows the officer
// his case and no one a case outside his scope.
func TestCasePageReadsCaseOnce(t *testing.T) {
	e := newEnv(t)
	caseUsers(t, e)
	importCases(t, e)
	page, err := e.app.DB.Cases(context.Background(), domain.SystemViewer("t"), store.CaseFilter{Sort: "number"})
	if err != nil || len(page.Cases) != 2 {
		t.Fatalf("cases: %v %v", page, err)
	}
	mine, theirs := page.Cases[0], page.Cases[1]
	officer := e.browser().loggedIn("lx.officer")
	cc := e.browser().loggedIn("lx.cc")

	var mu sync.Mutex
	var reads []string
	e.app.DB.BenchTrace(func(q string, _ []any) {
		mu.Lock()
		reads = append(reads, q)
		mu.Unlock()
	})
	defer e.app.DB.BenchTrace(nil)
	r := cc.get(fmt.Sprintf("/cases/%d", mine.ID))
	e.app.DB.BenchTrace(nil)
	if r.status != 200 || !strings.Contains(r.body, mine.Number) || !strings.Contains(r.body, `id="patrol"`) {
		t.Fatalf("command centre's case page: %d", r.status)
	}
	n := 0
	for _, q := range reads {
		if strings.Contains(q, "FROM cases k JOIN courts c ON c.id = k.court_id WHERE k.id = ") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("the case page read the case %d times:\n%s", n, strings.Join(reads, "\n"))
	}
	if r := officer.get(fmt.Sprintf("/cases/%d", theirs.ID)); r.status != 404 {
		t.Errorf("officer opens a colleague's case: %d", r.status)
	}
	if r := officer.get(fmt.Sprintf("/cases/%d", mine.ID)); r.status != 200 || strings.Contains(r.body, `id="patrol"`) {
		t.Errorf("officer's own case page: %d", r.status)
	}
}
