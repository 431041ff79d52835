package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

// The key-case tracking statistics cover a period of months (issue 17):
// the twelve up to this one by default, typed as text; a backwards range
// or a month that is not one is refused beside its field with the range
// as typed, and not exported; the trend has every month of the range,
// those without trackings at zero, counting the candidates listed, the
// decisions to track and the closings of each month; the tables count
// the trackings listed in the period only.
func TestTrackingStatsRangeAndMonths(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	db := e.app.DB
	testdb.AddUser(t, db, "ts.bur", "鲁0102", "执行局", domain.RoleBureau)
	today := domain.DateOf(db.Now(), domain.Beijing)
	first, _, _ := domain.ParseMonth(today.String()[:7])
	twoAgo, lastMonth, longAgo := first.AddMonths(-2), first.AddMonths(-1), first.AddMonths(-14)
	sys := domain.SystemViewer("t")
	open := func(n int, since domain.Date) int64 {
		filed := since.AddDays(-30)
		no, _ := domain.ParseCaseNo(fmt.Sprintf("（%d）鲁0102执%d号", filed.Year(), 700+n), domain.DefaultCaseTypes)
		k := &domain.Case{No: no, FiledOn: filed, Officer: "统计干警", Department: "执行一庭", Parties: []domain.Party{{Role: domain.Applicant, Name: "张三"}}}
		var res []store.CaseResult
		if err := db.Update(ctx, sys, func(tx *store.Tx) (err error) { res, err = tx.UpsertCases(ctx, []*domain.Case{k}, nil); return err }); err != nil || res[0].Err != nil {
			t.Fatal(err, res)
		}
		id, err := db.OpenTracking(ctx, sys, k.ID, since)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	noon := func(d domain.Date) time.Time {
		return time.Date(d.Year(), d.Month(), d.Day(), 12, 0, 0, 0, domain.Beijing).UTC()
	}
	// Two candidates two months ago: one still a candidate, one decided
	// last month and closed this month; one listed fourteen months ago and
	// decided then, outside the default period.
	open(1, twoAgo.AddDays(3))
	closed := open(2, twoAgo.AddDays(5))
	if _, err := db.WriteDB().Exec(e.rebind("UPDATE trackings SET state = 'closed', decided_at = ?, closed_at = ? WHERE id = ?"), noon(lastMonth.AddDays(1)), noon(first), closed); err != nil {
		t.Fatal(err)
	}
	old := open(3, longAgo.AddDays(2))
	if _, err := db.WriteDB().Exec(e.rebind("UPDATE trackings SET state = 'tracked', decided_at = ? WHERE id = ?"), noon(longAgo.AddDays(9)), old); err != nil {
		t.Fatal(err)
	}

	b := e.browser().loggedIn("ts.bur")
	type chart struct {
		Months     []string `json:"months"`
		Candidates []int    `json:"candidates"`
		Decided    []int    `json:"decided"`
		Closed     []int    `json:"closed"`
	}
	read := func(path string) (chart, string) {
		t.Helper()
		r := b.get(path)
		m := regexp.MustCompile(`(?s)<script type="application/json" id="tracking-stats-data">(.*?)</script>`).FindStringSubmatch(r.body)
		if r.status != http.StatusOK || m == nil {
			t.Fatalf("%s: %d", path, r.status)
		}
		var c chart
		if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), &c); err != nil {
			t.Fatal(err)
		}
		return c, r.body
	}
	c, body := read("/tracking/stats?court=鲁0102")
	if len(c.Months) != 12 || c.Months[11] != today.String()[:7] || c.Months[0] != first.AddMonths(-11).String()[:7] || len(c.Candidates) != 12 || len(c.Decided) != 12 || len(c.Closed) != 12 {
		t.Fatalf("default trend: %+v", c)
	}
	want := chart{Months: c.Months, Candidates: make([]int, 12), Decided: make([]int, 12), Closed: make([]int, 12)}
	want.Candidates[9], want.Decided[10], want.Closed[11] = 2, 1, 1
	if fmt.Sprint(c) != fmt.Sprint(want) {
		t.Fatalf("default trend\n got %+v\nwant %+v", c, want)
	}
	// The court's row counts the two trackings of the period, one decided.
	row := regexp.MustCompile(`<tr><td>济南市历下区人民法院</td><td class="col-num">(\d+)</td>`).FindStringSubmatch(body)
	if row == nil || row[1] != "2" || !strings.Contains(body, `value="`+c.Months[0]+`"`) {
		t.Fatalf("default period's table: %v", row)
	}
	// The month of the old tracking alone.
	m := longAgo.String()[:7]
	c, body = read("/tracking/stats?court=鲁0102&from=" + m + "&to=" + m)
	if fmt.Sprint(c.Months, c.Candidates, c.Decided, c.Closed) != fmt.Sprintf("[%s] [1] [1] [0]", m) {
		t.Fatalf("one month: %+v", c)
	}
	if row := regexp.MustCompile(`<tr><td>济南市历下区人民法院</td><td class="col-num">(\d+)</td>`).FindStringSubmatch(body); row == nil || row[1] != "1" {
		t.Fatalf("one month's table: %v", row)
	}
	if !strings.Contains(body, "from="+m+"&amp;to="+m) {
		t.Error("the export does not take the period")
	}

	for _, bad := range []struct{ query, field, msg, kept string }{
		{"from=2026-09&to=2026-03", "from", "起始月份2026-09晚于截止月份2026-03，请改正", `value="2026-09"`},
		{"from=2026-01&to=2026-13", "to", "截止月份应写作 年-月", `value="2026-13"`},
		{"from=26年1月&to=2026-03", "from", "起始月份应写作 年-月", `value="26年1月"`},
	} {
		r := b.get("/tracking/stats?court=鲁0102&" + bad.query)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `<p class="field-error" id="err-`+bad.field+`">`+bad.msg) ||
			!strings.Contains(r.body, bad.kept) || !strings.Contains(r.body, `aria-invalid="true"`) {
			t.Errorf("%s: %d\n%s", bad.query, r.status, r.body)
		}
		if r := b.get("/tracking/stats.xlsx?court=鲁0102&" + bad.query); r.status != http.StatusUnprocessableEntity {
			t.Errorf("%s exported: %d", bad.query, r.status)
		}
	}
}
