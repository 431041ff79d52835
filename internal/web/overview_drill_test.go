package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/overview"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

// overviewDrillRecords puts into db, over last year y, a record or two of
// each register whose figures drill down to a narrowed list, each with one
// outside the period or the figure beside it (see the comments).
func overviewDrillRecords(t *testing.T, db *store.DB, y int) {
	t.Helper()
	u := testdb.AddUser(t, db, "ovd.u1", "鲁0102", "执行一庭", domain.RoleOfficer)
	court := func(code string) string { return "(SELECT id FROM courts WHERE code = '" + code + "')" }
	at := func(m, d int) time.Time { return time.Date(y, time.Month(m), d, 2, 0, 0, 0, time.UTC) }
	mon := func(m int) string { return fmt.Sprintf("%d-%02d", y, m) }
	day := func(m, d int) string { return fmt.Sprintf("%d-%02d-%02d", y, m, d) }
	now := db.Now()
	// Draws: 鲁0102 March on time, May late, a supplement of March (not a
	// monthly draw); 鲁0103 February on time. → three listed, two on time.
	for i, b := range []struct {
		code, month, kind string
		seq               int
		at                time.Time
	}{{"鲁0102", mon(3), "daily", 0, at(4, 1)}, {"鲁0102", mon(5), "daily", 0, at(7, 2)}, {"鲁0102", mon(3), "supplement", 1, at(4, 20)}, {"鲁0103", mon(2), "daily", 0, at(3, 3)}} {
		testdb.Exec(t, db, `INSERT INTO visit_batches (id, court_id, month, kind, seq, rate, rounding, min_one, seed, seed_commitment, population_count, population_hash,
			excluded_count, sample_size, drawn_by, drawn_at) VALUES (?, `+court(b.code)+`, ?, ?, ?, '0.05', 'ceil', TRUE, 's', 'c', 1, 'h', 0, 1, 'system', ?)`,
			9101+i, b.month, b.kind, b.seq, b.at)
	}
	// 鲁0103 closed a case in August and never drew it. → 2/4, one month
	// owed undrawn.
	testdb.Exec(t, db, "UPDATE cases SET closed_on = ?, closing_mode = '执行完毕' WHERE number LIKE ?", day(8, 10), "%鲁0103执4号")
	// Campaigns: 鲁01's over March to May, 鲁0103's from November into the
	// next year; 鲁0102's of the year before (outside). → 2.
	for i, c := range []struct{ code, from, to string }{{"鲁01", day(3, 1), day(5, 31)}, {"鲁0103", day(11, 1), fmt.Sprintf("%d-01-31", y+1)},
		{"鲁0102", fmt.Sprintf("%d-01-01", y-1), fmt.Sprintf("%d-03-31", y-1)}} {
		testdb.Exec(t, db, `INSERT INTO inspection_campaigns (id, court_id, kind, theme, title, period_from, period_to, state, created_by, created_at, updated_at)
			VALUES (?, `+court(c.code)+`, 'case_review', 'discipline', ?, ?, ?, 'active', 'x', ?, ?)`, 9101+i, fmt.Sprintf("活动%d", i+1), c.from, c.to, now, now)
	}
	// Review sheets of 鲁01's campaign: 鲁0102 合格 in April, 鲁0103 不合格 in
	// May, 鲁0102 graded the December before (outside), one not graded. → 2.
	for i, g := range []struct {
		code, state, grade string
		at                 any
	}{{"鲁0102", "submitted", "pass", at(4, 1)}, {"鲁0103", "rechecked", "fail", at(5, 1)},
		{"鲁0102", "submitted", "good", time.Date(y-1, 12, 1, 2, 0, 0, 0, time.UTC)}, {"鲁0103", "open", "", nil}} {
		testdb.Exec(t, db, `INSERT INTO inspection_targets (id, campaign_id, court_id, how, state, grade, submitted_at, created_at)
			VALUES (?, 9101, `+court(g.code)+`, 'drawn', ?, ?, ?, ?)`, 9101+i, g.state, g.grade, g.at, now)
	}
	// Trackings of overviewCases' cases: 鲁0102 a candidate and one decided
	// in May under tracking, one closed decided the year before; 鲁0103
	// one in consultation. → waiting 2, under 1, decided in the year 1.
	for i, tr := range []struct {
		code, no, state string
		decided         any
	}{{"鲁0102", "1", "candidate", nil}, {"鲁0102", "2", "tracking", at(5, 1)}, {"鲁0102", "3", "closed", time.Date(y-1, 6, 1, 2, 0, 0, 0, time.UTC)},
		{"鲁0103", "4", "consulting", nil}} {
		testdb.Exec(t, db, `INSERT INTO trackings (id, court_id, case_id, state, candidate_since, decided_at, created_at, updated_at)
			VALUES (?, `+court(tr.code)+`, (SELECT id FROM cases WHERE number LIKE ?), ?, ?, ?, ?, ?)`, 9101+i, "%"+tr.code+"执"+tr.no+"号", tr.state, day(1, 10), tr.decided, now, now)
	}
	// Suggestions: 鲁0102 one done (May), one overdue with no items (June);
	// 鲁0103 one in progress; 鲁0102 one of the year before (outside).
	kind := "suggestion"
	rect := func(id int, code string, created time.Time, deadline string, items ...[2]string) {
		testdb.Exec(t, db, `INSERT INTO rectifications (id, court_id, issuer_court, source_kind, source_id, title, deadline, issued_by, created_at)
			VALUES (?, `+court(code)+`, `+court("鲁01")+`, ?, ?, 't', ?, 'x', ?)`, id, kind, id, deadline, created)
		for j, it := range items {
			testdb.Exec(t, db, `INSERT INTO rectification_items (id, rectification_id, unit, responsible_id, deadline, task, state, created_at)
				VALUES (?, ?, '执行局', ?, ?, 't', ?, ?)`, id*10+j, id, u.ID, it[0], it[1], now)
		}
	}
	rect(9101, "鲁0102", at(5, 1), day(6, 1), [2]string{day(6, 1), "closed"})
	rect(9102, "鲁0102", at(6, 1), day(6, 15))
	rect(9103, "鲁0103", at(5, 1), fmt.Sprintf("%d-01-01", y+3), [2]string{fmt.Sprintf("%d-01-01", y+3), "progress"})
	rect(9104, "鲁0102", time.Date(y-1, 5, 1, 2, 0, 0, 0, time.UTC), fmt.Sprintf("%d-06-01", y-1))
	// The findings' rectification at 鲁0102: an item overdue, one in
	// progress, one accepted. → open 1, overdue 1.
	kind = "inspection"
	later := fmt.Sprintf("%d-01-01", y+3)
	rect(9105, "鲁0102", at(6, 1), later, [2]string{day(7, 1), "pending"}, [2]string{later, "progress"}, [2]string{day(7, 1), "closed"})
	// The tracking's recommendation, past its deadline. → overdue 1.
	testdb.Exec(t, db, `INSERT INTO tracking_records (id, tracking_id, on_date, aspect, kind, content, by_name, created_at)
		VALUES (9101, 9102, ?, 'process', 'recommendation', 'c', 'x', ?)`, day(6, 1), now)
	// A violation recorded on it in May, one the year before. → findings 1.
	testdb.Exec(t, db, `INSERT INTO tracking_records (id, tracking_id, on_date, aspect, kind, content, violation, by_name, created_at)
		VALUES (9102, 9102, ?, 'process', 'interview', 'c', TRUE, 'x', ?), (9103, 9102, ?, 'process', 'interview', 'c', TRUE, 'x', ?)`,
		day(5, 2), now, fmt.Sprintf("%d-05-02", y-1), now)
	testdb.Exec(t, db, `INSERT INTO rectifications (id, court_id, issuer_court, source_kind, source_id, title, deadline, issued_by, created_at)
		VALUES (9106, `+court("鲁0102")+`, `+court("鲁01")+`, 'recommendation', 9101, 't', ?, 'x', ?)`, day(7, 1), at(6, 1))
	testdb.Exec(t, db, `INSERT INTO tracking_recommendations (record_id, tracking_id, addressee, problem, advice, deadline, rectification_id)
		VALUES (9101, 9102, 'bureau', 'p', 'a', ?, 9106)`, day(7, 1))
}

// TestOverviewDrillDownLists (issue 18): each figure whose records were
// the whole register, or the court's register over any time, opens the
// list narrowed to what it counts, saying so, and the list's total is the
// figure's number: 按时抽取率 (the draws, those on time marked), 督察评查活动,
// 评查等次 (the sheets counted), 候选待决定, 期间决定跟踪, 跟踪中, 跟踪发现问题
// (the findings counted), the
// suggestions and the trackings' recommendations with their state, and
// the findings' rectification items open and overdue. An officer opening the same links sees
// none of it.
func TestOverviewDrillDownLists(t *testing.T) {
	e := newEnv(t)
	db := e.app.DB
	overviewCases(t, db)
	y := db.Today().Year() - 1
	overviewDrillRecords(t, db, y)
	grp := domain.ViewerFor(testdb.AddUser(t, db, "ovd.grp", "鲁01", "派驻纪检监察组", domain.RoleDisciplineGroup), "")
	testdb.AddUser(t, db, "ovd.off", "鲁0102", "执行一庭", domain.RoleOfficer)
	g := e.browser().loggedIn("ovd.grp")
	period := fmt.Sprint(y)
	p, err := overview.ParsePeriod(period, db.Today())
	if err != nil {
		t.Fatal(err)
	}
	fig, err := db.OverviewFigures(context.Background(), grp, "鲁01", true, p)
	if err != nil {
		t.Fatal(err)
	}
	cockpit := g.get("/overview?court=鲁01&scope=subtree&period=" + period)
	if cockpit.status != 200 {
		t.Fatalf("the cockpit: %d", cockpit.status)
	}
	sum := func(cs []overview.Count) int {
		n := 0
		for _, c := range cs {
			n += c.N
		}
		return n
	}
	o := fig.Oversight
	rows := map[string]*regexp.Regexp{
		"visit-batches": regexp.MustCompile(`href="/visit-batches/\d+"`), "inspections": regexp.MustCompile(`href="/inspections/\d+"`),
		"tracking": regexp.MustCompile(`href="/tracking/\d+"`), "rectifications": regexp.MustCompile(`href="/rectifications/\d+"`),
	}
	var offLinks []string
	for _, c := range []struct {
		key, list, says string
		want, by        int // by: the figure's number, want: what it must be by hand
	}{
		{"visits.drawn_on_time", "visit-batches", "仅显示：济南市中级人民法院及辖区法院，执结月份" + period + "-01至" + period + "-12，月度抽取。", 4, fig.Visits.MonthsDue},
		{"inspections.campaigns", "inspections", "仅显示：济南市中级人民法院及辖区法院组织，检查期间与" + period + "年有交叉。", 2, sum(fig.Inspections.Campaigns)},
		{"inspections.grades", "inspections", "已评定等次的评查表所在活动，共2份评查表。", 1, 1},
		{"tracking.waiting", "tracking", "仅显示：济南市中级人民法院及辖区法院，候选待决定。", 2, fig.Tracking.Waiting},
		{"tracking.under", "tracking", "仅显示：济南市中级人民法院及辖区法院，已决定跟踪、尚未结束。", 1, fig.Tracking.Under},
		{"tracking.tracked", "tracking", "仅显示：济南市中级人民法院及辖区法院，" + period + "年决定跟踪。", 1, fig.Tracking.Tracked},
		{"oversight.suggestions", "rectifications", "改进意见建议，" + period + "年提出。", 3, o.Suggestions},
		{"oversight.suggestions_done", "rectifications", "整改状态为已销号。", 1, o.SuggestionsDone},
		{"oversight.suggestions_open", "rectifications", "整改状态为整改中。", 1, o.SuggestionsOpen},
		{"oversight.suggestions_overdue", "rectifications", "整改状态为逾期。", 1, o.SuggestionsOverdue},
		{"inspections.rect_open", "rectifications", "专项督察评查发现的问题，有未完成、未逾期事项的整改（共1项，", 1, fig.Inspections.RectOpen},
		{"inspections.rect_overdue", "rectifications", "专项督察评查发现的问题，有逾期事项的整改（共1项，", 1, fig.Inspections.RectOverdue},
		{"tracking.findings", "tracking", "仅显示：济南市中级人民法院及辖区法院，" + period + "年确认发现问题的跟踪案件（共1个问题）。", 1, sum(fig.Tracking.Findings)},
		{"tracking.rec_open", "rectifications", "跟踪监督意见建议，整改状态为整改中。", 0, fig.Tracking.RecOpen},
		{"tracking.rec_overdue", "rectifications", "跟踪监督意见建议，整改状态为逾期。", 1, fig.Tracking.RecOverdue},
	} {
		m := regexp.MustCompile(`(?s)<tr data-key="` + regexp.QuoteMeta(c.key) + `">.*?<a href="([^"]+)">查看记录</a>`).FindStringSubmatch(cockpit.body)
		if m == nil {
			t.Errorf("%s: no records link", c.key)
			continue
		}
		link := html.UnescapeString(m[1])
		if !strings.HasPrefix(link, "/"+c.list+"?") {
			t.Errorf("%s opens %s", c.key, link)
			continue
		}
		r := g.get(link)
		body := r.body
		if c.list == "tracking" {
			// The trackings' table, not the candidates' above it.
			_, body, _ = strings.Cut(body, `<h2 class="card-title">跟踪案件</h2>`)
		}
		n := len(rows[c.list].FindAllString(body, -1))
		if c.list == "visit-batches" {
			// The months owed and never drawn are listed beside the draws.
			n += strings.Count(body, `<tr class="undrawn"><td>`+period+`-08</td><td>济南市市中区人民法院</td></tr>`)
		}
		if r.status != 200 || !strings.Contains(r.body, c.says) || n != c.want || c.by != c.want {
			t.Errorf("%s: %s gives %d, %d rows, the figure counts %d, want %d, saying %q", c.key, link, r.status, n, c.by, c.want, c.says)
		}
		if c.key == "visits.drawn_on_time" {
			if on := strings.Count(body, `<span class="badge">按时</span>`); on != fig.Visits.MonthsOnTime || on != 2 {
				t.Errorf("draws on time: %d marked, the figure counts %d", on, fig.Visits.MonthsOnTime)
			}
		}
		if c.key == "inspections.grades" && sum(fig.Inspections.Grades) != 2 {
			t.Errorf("the grades figure counts %d sheets, the list 2", sum(fig.Inspections.Grades))
		}
		offLinks = append(offLinks, link)
	}
	// The officer of 鲁0102 opening the same links sees no record of them.
	off := e.browser().loggedIn("ovd.off")
	for _, link := range offLinks {
		r := off.get(link)
		for list, re := range rows {
			if strings.HasPrefix(link, "/"+list+"?") && r.status == 200 && re.MatchString(r.body) {
				t.Errorf("the officer sees records at %s", link)
			}
		}
	}
}

// The narrowing the drill-downs add refuses what it cannot read, saying
// why, rather than showing the whole register as if narrowed.
func TestDrillDownFiltersRefuseBadValues(t *testing.T) {
	e := newEnv(t)
	testdb.AddUser(t, e.app.DB, "ovb.grp", "鲁01", "派驻纪检监察组", domain.RoleDisciplineGroup)
	g := e.browser().loggedIn("ovb.grp")
	for path, says := range map[string]string{
		"/visit-batches?from=2026-13":            "起始月份“2026-13”不是有效的月份",
		"/visit-batches?from=2026-05&to=2026-04": "截止月份早于起始月份",
		"/visit-batches?kind=weekly":             "抽取类型“weekly”无效",
		"/inspections?sheets=all":                "评查表筛选“all”无效",
		"/tracking?stage=done":                   "跟踪阶段“done”无效",
		"/rectifications?items=closed":           "整改事项状态“closed”无效",
		"/rectifications?rec=lost":               "整改状态“lost”无效",
		"/rectifications?source=x":               "整改来源“x”无效",
	} {
		if r := g.get(path); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, says) {
			t.Errorf("%s: %d, want 422 saying %q", path, r.status, says)
		}
	}
}
