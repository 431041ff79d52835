package web_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/app"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/jobs"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

// The oversight rules an installation sets (issue 14) take effect and
// are shown read-only: with one petition in a month enough for 反映强烈
// and a measures table of its own, a single petition marks its case, a
// default measure that the table dropped is refused while its own is
// taken, and the watchdogs' dispositions page says both rules. A bad
// table stops the start with its row.
func TestOversightRulesConfigured(t *testing.T) {
	dir := t.TempDir()
	table := filepath.Join(dir, "measures.csv")
	if err := os.WriteFile(table, []byte("形态,措施\n1,谈话提醒\n1,提醒函\n1,预警约谈\n2,警告\n3,免职\n4,移送\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := app.Config{DB: testdb.DSN(t), Key: testdb.Key, Params: testdb.CheapParams, Jobs: jobs.Config{NoPeriodic: true}, UploadDir: dir,
		Strong: oversight.StrongRule{Count: 1, Months: 1}, MeasuresFile: table}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a, err := app.Open(context.Background(), cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	e := newEnvFor(t, a)
	db := a.DB
	ctx := context.Background()
	sys := domain.SystemViewer("t")
	grp := domain.ViewerFor(testdb.AddUser(t, db, "or.grp", "鲁0102", "派驻纪检监察组", domain.RoleDisciplineGroup), "")
	testdb.AddUser(t, db, "or.off", "鲁0102", "执行一庭", domain.RoleOfficer)
	no, _ := domain.ParseCaseNo("（2026）鲁0102执7号", domain.DefaultCaseTypes)
	kc := &domain.Case{No: no, FiledOn: domain.MustDate("2026-01-05"), Officer: "测试or.off", Department: "执行一庭"}
	if err := db.Update(ctx, sys, func(tx *store.Tx) error { _, err := tx.UpsertCases(ctx, []*domain.Case{kc}, nil); return err }); err != nil {
		t.Fatal(err)
	}
	today := domain.DateOf(db.Now(), domain.Beijing)
	if _, err := db.RegisterComplaint(ctx, sys, "鲁0102", oversight.Complaint{Kind: oversight.KindPetition, Channel: "来访", ReceivedOn: today,
		Content: "执行慢", CaseNumbers: []string{no.String()}, Level: oversight.LevelCourt, Repeat: 1}); err != nil {
		t.Fatal(err)
	}
	k, err := db.CaseByNumber(ctx, sys, no.String())
	if err != nil {
		t.Fatal(err)
	}
	if strong, err := db.StrongReaction(ctx, grp, k.ID); err != nil || !strong {
		t.Errorf("one petition under a rule of one: %v %v", strong, err)
	}
	var ve *domain.ValidationError
	in := oversight.Disposition{Person: "or.off", Form: 1, Measure: "批评教育", Basis: "b", Decider: "d", DecidedOn: today}
	if _, err := db.RecordDisposition(ctx, grp, "鲁0102", in); !errors.As(err, &ve) || ve.Fields["measure"] == "" {
		t.Errorf("a measure the table dropped: %v", err)
	}
	in.Measure = "提醒函"
	if _, err := db.RecordDisposition(ctx, grp, "鲁0102", in); err != nil {
		t.Errorf("the table's own measure: %v", err)
	}
	g := e.browser().loggedIn("or.grp")
	r := g.get("/dispositions")
	for _, want := range []string{"现行规则", "谈话提醒、提醒函", "同一案件1个月内信访1次以上，标记为当事人反映强烈"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the dispositions page lacks %q", want)
		}
	}
	if strings.Contains(r.body, "赴省") {
		t.Errorf("the page says a level rule that is off")
	}
	if r := g.get("/dispositions/new"); !strings.Contains(r.body, "提醒函") || strings.Contains(r.body, "批评教育") {
		t.Errorf("the form offers other measures than the table's")
	}
	if r := g.get("/complaints?case=" + url.QueryEscape(no.String())); !strings.Contains(r.body, "反映强烈</span>") || !strings.Contains(r.body, "1个月内信访1次以上") {
		t.Errorf("the complaints page: no mark or no rule")
	}

	for name, tt := range map[string]struct {
		table string
		want  string
	}{
		"a form without a measure": {"1,谈话提醒\n2,警告\n3,免职\n", "第四种形态"},
		"an unknown form":          {"1,谈话提醒\n5,警告\n", "row 2"},
	} {
		bad := filepath.Join(dir, "bad.csv")
		if err := os.WriteFile(bad, []byte(tt.table), 0o600); err != nil {
			t.Fatal(err)
		}
		c := cfg
		c.MeasuresFile, c.Measures = bad, nil
		if a, err := app.Open(context.Background(), c, log); err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), bad) {
			if a != nil {
				a.Close()
			}
			t.Errorf("%s: %v", name, err)
		}
	}
	c := cfg
	c.Strong = oversight.StrongRule{Count: 0, Months: 3}
	if a, err := app.Open(context.Background(), c, log); err == nil || !strings.Contains(err.Error(), "--strong-petitions") {
		if a != nil {
			a.Close()
		}
		t.Errorf("a rule of no petitions: %v", err)
	}
}
