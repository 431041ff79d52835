package report

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/overview"
)

func viewer(path string, roles ...domain.Role) domain.Viewer {
	return domain.Viewer{UserID: 7, Name: "甲", CourtPath: path, Roles: roles}
}

// TestCheck asks every action of every viewer about a report of 鲁0102 in
// each state: the court's bureau and group draft, edit and submit while it
// is open; its 监察室 reads; the court above (鲁01) reads once submitted
// and returns; the court above that (鲁) reads; nobody beside or below.
func TestCheck(t *testing.T) {
	const own = "/鲁/鲁01/鲁0102/"
	viewers := map[string]domain.Viewer{
		"bureau":       viewer(own, domain.RoleBureau),
		"group":        viewer(own, domain.RoleDisciplineGroup),
		"supervision":  viewer(own, domain.RoleSupervisionOffice),
		"officer":      viewer(own, domain.RoleOfficer),
		"head":         viewer(own, domain.RoleDeptHead),
		"command":      viewer(own, domain.RoleCommandCenter),
		"admin":        viewer(own, domain.RoleAdmin),
		"parentBureau": viewer("/鲁/鲁01/", domain.RoleBureau),
		"parentGroup":  viewer("/鲁/鲁01/", domain.RoleDisciplineGroup),
		"parentSup":    viewer("/鲁/鲁01/", domain.RoleSupervisionOffice),
		"parentCmd":    viewer("/鲁/鲁01/", domain.RoleCommandCenter),
		"topBureau":    viewer("/鲁/", domain.RoleBureau),
		"besideBureau": viewer("/鲁/鲁01/鲁0103/", domain.RoleBureau),
		"belowBureau":  viewer(own+"x/", domain.RoleBureau),
		"system":       domain.SystemViewer("t"),
	}
	// Each row: viewer, state, and the answer to read, edit, submit,
	// return: Y allowed, F forbidden, C conflict (the state), N not found.
	rows := []struct {
		who     string
		state   State
		answers string
	}{
		{"bureau", StateDraft, "YYYF"},
		{"bureau", StateSubmitted, "YCCF"},
		{"bureau", StateReturned, "YYYF"},
		{"group", StateDraft, "YYYF"},
		{"group", StateSubmitted, "YCCF"},
		{"supervision", StateDraft, "YFFF"},
		{"supervision", StateSubmitted, "YFFF"},
		{"officer", StateSubmitted, "NNNN"},
		{"head", StateSubmitted, "NNNN"},
		{"command", StateSubmitted, "NNNN"},
		{"admin", StateSubmitted, "NNNN"},
		{"parentBureau", StateDraft, "NNNN"},
		{"parentBureau", StateSubmitted, "YFFY"},
		{"parentBureau", StateReturned, "YFFC"},
		{"parentGroup", StateSubmitted, "YFFY"},
		{"parentSup", StateSubmitted, "YFFF"},
		{"parentCmd", StateSubmitted, "NNNN"},
		{"topBureau", StateDraft, "NNNN"},
		{"topBureau", StateSubmitted, "YFFF"},
		{"besideBureau", StateSubmitted, "NNNN"},
		{"belowBureau", StateSubmitted, "NNNN"},
		{"system", StateSubmitted, "YFFF"},
	}
	for _, r := range rows {
		s := Subject{CourtPath: own, State: r.state}
		for i, a := range []Action{Read, Edit, Submit, Return} {
			err := Check(a, viewers[r.who], s)
			var got byte
			switch {
			case err == nil:
				got = 'Y'
			case errors.Is(err, domain.ErrNotFound):
				got = 'N'
			case errors.Is(err, domain.ErrForbidden):
				got = 'F'
			case errors.Is(err, domain.ErrConflict):
				got = 'C'
			}
			if got != r.answers[i] {
				t.Errorf("%s %s on a %s report: %c (%v), want %c", r.who, a, r.state, got, err, r.answers[i])
			}
		}
		var want []Action
		for i, a := range []Action{Edit, Submit, Return} {
			if r.answers[i+1] == 'Y' {
				want = append(want, a)
			}
		}
		if got := Actions(viewers[r.who], s); strings.Join(labels(got), ",") != strings.Join(labels(want), ",") {
			t.Errorf("%s on a %s report: actions %v, want %v", r.who, r.state, got, want)
		}
	}
	if !CanDraft(viewers["group"]) || CanDraft(viewers["supervision"]) || CanDraft(viewers["system"]) || !Reads(viewers["supervision"]) || Reads(viewers["officer"]) {
		t.Error("who drafts and who reads")
	}
}

func labels(as []Action) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.Label())
	}
	return out
}

func TestParentPath(t *testing.T) {
	for in, want := range map[string]string{"/鲁/鲁01/鲁0102/": "/鲁/鲁01/", "/鲁/鲁01/": "/鲁/", "/鲁/": "", "": ""} {
		if got := ParentPath(in); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}

func TestPeriodsAndDueDates(t *testing.T) {
	r := DefaultDueRules()
	for _, c := range []struct {
		period, due string
	}{
		{"2026-03", "2026-04-10"},
		{"2026-12", "2027-01-10"},
		{"2026-Q1", "2026-04-15"},
		{"2026-Q4", "2027-01-15"},
		{"2026", "2027-01-31"},
	} {
		p, err := ParsePeriod(c.period)
		if err != nil {
			t.Fatal(err)
		}
		if got := r.Due(p).String(); got != c.due {
			t.Errorf("%s: due %s, want %s", c.period, got, c.due)
		}
	}
	// A day past the month's end is its last day.
	q := DueRules{Month: 31, Quarter: 31, Year: 31}
	if got := q.Due(overview.Month(2026, time.January)).String(); got != "2026-02-28" {
		t.Errorf("31 February: %s", got)
	}
	for _, bad := range []string{"", "2026-01-01~2026-01-31", "26", "2026-13", "soon"} {
		if _, err := ParsePeriod(bad); !errors.Is(err, domain.ErrInvalid) {
			t.Errorf("%q: %v", bad, err)
		}
	}
	if err := (DueRules{Month: 0, Quarter: 15, Year: 31}).Validate(); err == nil || !strings.Contains(err.Error(), "--report-due-monthly") {
		t.Errorf("day 0: %v", err)
	}
	today := domain.MustDate("2026-04-10")
	if got := LastEnded(overview.PeriodMonth, today).String(); got != "2026-03" {
		t.Errorf("last month %s", got)
	}
	if got := LastEnded(overview.PeriodQuarter, today).String(); got != "2026-Q1" {
		t.Errorf("last quarter %s", got)
	}
	if got := LastEnded(overview.PeriodYear, today).String(); got != "2025" {
		t.Errorf("last year %s", got)
	}
	// On its due day March's report is not late; February's is.
	if r.Late(overview.Month(2026, time.March), today) || !r.Late(overview.Month(2026, time.February), today) {
		t.Error("late on the due day")
	}
	if got := r.LatestDue(overview.PeriodMonth, today).String(); got != "2026-02" {
		t.Errorf("latest due month %s", got)
	}
	if got := r.LatestDue(overview.PeriodMonth, today.AddDays(1)).String(); got != "2026-03" {
		t.Errorf("latest due month after the 10th %s", got)
	}
	if err := CheckPeriod(overview.Month(2026, time.May), today); !errors.Is(err, domain.ErrInvalid) {
		t.Errorf("a future month: %v", err)
	}
	if err := CheckSubmitPeriod(overview.Month(2026, time.April), today); !errors.Is(err, domain.ErrConflict) {
		t.Errorf("submitting the current month: %v", err)
	}
	if err := CheckSubmitPeriod(overview.Month(2026, time.March), today); err != nil {
		t.Errorf("submitting last month: %v", err)
	}
	cs := Choices(today)
	if cs[0].String() != "2026-04" || cs[13].String() != "2026-Q2" || cs[len(cs)-1].String() != "2024" {
		t.Errorf("choices %v … %v", cs[0], cs[len(cs)-1])
	}
}

func TestNarrative(t *testing.T) {
	n := Narrative{"basic": " 本期运行正常。 ", "problems": strings.Repeat("问", MaxText+1)}
	err := n.Validate(false)
	var ve *domain.ValidationError
	if !errors.As(err, &ve) || len(ve.Fields) != 1 || ve.Fields["n_problems"] == "" {
		t.Fatalf("too long: %v", err)
	}
	err = Narrative{"basic": "有", "problems": "有"}.Validate(true)
	if !errors.As(err, &ve) || ve.Fields["n_rectify"] != "报送前请填写“整改落实”" || ve.Fields["n_next"] == "" || ve.Fields["n_basic"] != "" {
		t.Fatalf("submitting unfinished: %v", err)
	}
	if err := (Narrative{"other": "x"}).Validate(false); err == nil {
		t.Error("an unknown section is taken")
	}
	texts := Narrative{"next": "继续。"}.Clean().Texts()
	if len(texts) != 4 || texts[0].Heading != "基本情况" || texts[3].Body != "继续。" || texts[1].Body != "" {
		t.Errorf("texts %+v", texts)
	}
	if _, err := CheckReason("  "); !errors.Is(err, domain.ErrInvalid) {
		t.Error("an empty reason")
	}
}

// TestBuildSignVerify builds a snapshot from figures a bureau could not
// read for itself (the watchdogs' clues and dispositions), checks that the
// clues are left out and the dispositions kept as counts, and that the
// signature verifies the content and detects any change.
func TestBuildSignVerify(t *testing.T) {
	f := &overview.Figures{Court: overview.Court{Code: "鲁0102", Name: "济南市历下区人民法院"}, Period: overview.Month(2026, time.March),
		AsOf: domain.MustDate("2026-04-05"), Trips: &overview.TripFigures{Trips: 4, RequiredBefore: 3, Travellers: 5, OnTime: 4, Late: 1},
		Oversight: overview.NewOversightFigures()}
	f.Oversight.CluesSeen = true
	f.Oversight.Clues[0].N = 9
	f.Oversight.Dispositions[0].N = 2
	f.Oversight.Dispositions[2].N = 1
	f.Core.ExecutedInLimit = overview.Ratio{Num: 9, Den: 10}
	ps := []Problem{{Kind: ProblemVisit, Label: "反映消极执行"}, {Kind: ProblemInspection, Label: "卷宗归档"}, {Kind: ProblemInspection, Label: "案款发放"}}
	for _, no := range []string{"（2026）鲁0102执1号", "（2026）鲁0102执1号", "（2026）鲁0102执2号", "（2026）鲁0102执3号", "（2026）鲁0102执4号"} {
		ps[2].AddCase(no)
	}
	ps[0].AddCase("（2026）鲁0102执9号")
	s := Build(f, overview.DefaultTargets(), ps, nil, Narrative{"basic": "本月运行正常。"})
	if s.Title != "济南市历下区人民法院2026年3月四项机制运行情况报告" || s.AsOf != "2026-03-31" {
		t.Errorf("title %q as of %s", s.Title, s.AsOf)
	}
	over := s.Section(overview.SectionOversight)
	for _, fig := range over.Figures {
		if fig.Key == "oversight.clues" || fig.Key == "oversight.dispositions" {
			t.Errorf("sealed figure %s in the report", fig.Key)
		}
	}
	if s.DispositionTotal() != 3 || s.Dispositions[0].Label != "第一种形态" || s.Dispositions[0].N != 2 {
		t.Errorf("dispositions %+v", s.Dispositions)
	}
	trips := s.Section(overview.SectionTrips)
	if trips.Figures[1].Text != "75.0%" || trips.Figures[1].Num != 3 || trips.Figures[1].Den != 4 || trips.Figures[1].Status != "red" || trips.Figures[1].Target != "≥100%" {
		t.Errorf("requirement %+v", trips.Figures[1])
	}
	ind := s.Section(overview.SectionIndicators)
	if ind.Figures[0].Text != "90.0%" || ind.Figures[0].StatusLabel() != "达标" {
		t.Errorf("indicator %+v", ind.Figures[0])
	}
	if g := s.Problems[0]; g.Kind != ProblemInspection || g.Total != 5 || g.Items[0].Label != "案款发放" || g.Items[0].Count != 5 || len(g.Items) != 1 ||
		strings.Join(g.Items[0].Cases, "、") != "（2026）鲁0102执1号、（2026）鲁0102执2号、（2026）鲁0102执3号" {
		t.Errorf("problems %+v", g)
	}
	if s.Problems[1].Total != 0 || s.Problems[3].Total != 1 {
		t.Errorf("problem groups %+v", s.Problems)
	}

	content, err := s.Canonical()
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 4, 5, 2, 30, 0, 0, time.UTC)
	sig, err := Sign(content, 7, "甲", at)
	if err != nil {
		t.Fatal(err)
	}
	if !Verify(sig, content) {
		t.Fatal("the content does not verify")
	}
	back, err := ReadSnapshot(content)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := back.Canonical()
	if string(again) != string(content) {
		t.Error("the snapshot does not read back to the same content")
	}
	tampered := strings.Replace(string(content), `"text":"75.0%"`, `"text":"95.0%"`, 1)
	if tampered == string(content) || Verify(sig, []byte(tampered)) {
		t.Error("a changed figure verifies")
	}
	other := sig
	other.Signer = "乙"
	if Verify(other, content) || Verify(sig, []byte("not json")) {
		t.Error("a changed signer or broken content verifies")
	}
}
