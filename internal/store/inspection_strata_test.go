package store_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/inspection"
	"github.com/zhilian/zhilian/internal/store"
)

// Issue 16, the draw stratified per officer: a campaign that asks for n
// cases per officer draws, within each court, one stratum per officer (by
// account where the case is linked to one, else by the name the data
// gives, a case without one in a stratum of its own), each by the return
// visits' rule and each verified apart; a swapped case or a case moved to
// another stratum fails verification of its stratum only.
func TestInspectionDrawPerOfficer(t *testing.T) {
	f := newInspectionFixture(t)
	db := f.db
	// 鲁0102 gains five cases of 张某 (no account) and one of nobody.
	var ks []*domain.Case
	for i := 101; i <= 106; i++ {
		no, _ := domain.ParseCaseNo(fmt.Sprintf("（2026）鲁0102执%d号", i), domain.DefaultCaseTypes)
		officer := "张某"
		if i == 106 {
			officer = ""
		}
		ks = append(ks, &domain.Case{No: no, FiledOn: domain.MustDate("2026-01-05"), ClosedOn: domain.MustDate("2026-03-15"), ClosingMode: "执行完毕",
			Officer: officer, Department: "执行二庭"})
	}
	if err := db.Update(ctx, domain.SystemViewer("t"), func(tx *store.Tx) error { _, err := tx.UpsertCases(ctx, ks, nil); return err }); err != nil {
		t.Fatal(err)
	}
	in := store.InspectionInput{
		Campaign: inspection.Campaign{Kind: inspection.KindCaseReview, Theme: inspection.ThemeDiscipline, Title: "按承办人分层评查",
			From: domain.MustDate("2026-01-01"), To: domain.MustDate("2026-03-31"), Plan: "每名承办人抽取两件。"},
		Courts: []string{"鲁0102", "鲁0103"}, MemberIDs: []int64{f.leader.UserID, f.group.UserID, f.office.UserID}, LeaderID: f.leader.UserID,
		PerCourt: 3, PerOfficer: 101, Thresholds: inspection.DefaultThresholds(), AnswerDays: 7,
	}
	if _, err := db.CreateInspection(ctx, f.leader, in); fieldMsg(err, "per_officer") == "" {
		t.Fatalf("101 per officer: %v", err)
	}
	in.PerOfficer = 2
	id, err := db.CreateInspection(ctx, f.leader, in)
	if err != nil {
		t.Fatal(err)
	}
	if c, err := db.Inspection(ctx, f.leader, id); err != nil || c.PerOfficer != 2 {
		t.Fatalf("campaign %+v: %v", c, err)
	}
	// 鲁0102: the officer's 12 (2), 张某's 5 (2), the one of nobody (1);
	// 鲁0103: its officer's 12 (2).
	n, err := db.DrawInspection(ctx, f.group, id)
	if err != nil || n != 7 {
		t.Fatalf("drew %d: %v", n, err)
	}
	ds, err := db.InspectionDraws(ctx, f.leader, id)
	if err != nil || len(ds) != 4 {
		t.Fatalf("strata %+v: %v", ds, err)
	}
	byOfficer := map[string]store.InspectionDraw{}
	for _, d := range ds {
		if d.OfficerKey == "" || len(d.Selected) != d.Size {
			t.Fatalf("stratum %+v", d)
		}
		byOfficer[d.CourtCode+" "+d.Officer] = d
	}
	zhang := byOfficer["鲁0102 张某"]
	if zhang.OfficerKey != "name:张某" || len(zhang.Population) != 5 || zhang.Size != 2 {
		t.Fatalf("张某's stratum %+v", zhang)
	}
	for _, no := range zhang.Selected {
		if !slices.Contains(zhang.Population, no) || !strings.Contains(no, "执10") {
			t.Fatalf("张某's stratum drew %s", no)
		}
	}
	if none := byOfficer["鲁0102 "]; none.OfficerKey != "name:" || len(none.Population) != 1 || none.Size != 1 {
		t.Fatalf("the stratum of no officer %+v", none)
	}
	if own := byOfficer["鲁0102 "+f.officer.Name]; len(own.Population) != 12 || own.Size != 2 {
		t.Fatalf("the officer's stratum %+v", own)
	}
	res := store.VerifyDraws(ds)
	if len(res) != 4 {
		t.Fatalf("verified %d strata", len(res))
	}
	for k, err := range res {
		if err != nil {
			t.Errorf("%s does not verify: %v", k, err)
		}
	}
	// A target moved from 张某's stratum into another fails both.
	ts, err := db.InspectionTargets(ctx, f.leader, id)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(ts, func(t store.InspectionTarget) bool { return t.CaseNo == zhang.Selected[0] })
	if _, err := db.WriteDB().Exec(fmt.Sprintf("UPDATE inspection_targets SET stratum = 'name:' WHERE id = %d", ts[i].ID)); err != nil {
		t.Fatal(err)
	}
	ds, err = db.InspectionDraws(ctx, f.leader, id)
	if err != nil {
		t.Fatal(err)
	}
	res = store.VerifyDraws(ds)
	if res[zhang.Stratum()] == nil || res["鲁0102/name:"] == nil || res[byOfficer["鲁0103 "+f.officer.Name].Stratum()] != nil {
		t.Fatalf("after moving a target: %v", res)
	}
	// A per-court campaign keeps one stratum per court, as before.
	if cd, err := db.InspectionDraws(ctx, f.leader, f.id); err != nil || len(cd) != 0 {
		t.Fatalf("the per-court campaign: %+v %v", cd, err)
	}
	if _, err := db.DrawInspection(ctx, f.group, f.id); err != nil {
		t.Fatal(err)
	}
	if cd, err := db.InspectionDraws(ctx, f.leader, f.id); err != nil || len(cd) != 2 || cd[0].OfficerKey != "" || cd[0].Stratum() != "鲁0102" ||
		len(cd[0].Population) != 18 {
		t.Fatalf("the per-court campaign: %+v %v", cd, err)
	}
}
