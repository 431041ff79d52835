package api_test

import (
	"context"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/inspection"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

// GET /api/v1/inspections lists as the page: the group's bureau the whole
// campaign with its state, the bureau of a court in scope in part, an
// officer with no finding nothing (403).
func TestInspectionsAPI(t *testing.T) {
	e := newEnv(t)
	db := e.app.DB
	ctx := context.Background()
	lead := testdb.AddUser(t, db, "ai.lead", "鲁01", "执行局", domain.RoleBureau)
	grp := testdb.AddUser(t, db, "ai.grp", "鲁01", "派驻纪检监察组", domain.RoleDisciplineGroup)
	sup := testdb.AddUser(t, db, "ai.sup", "鲁01", "监察室", domain.RoleSupervisionOffice)
	testdb.AddUser(t, db, "ai.bur0102", "鲁0102", "执行局", domain.RoleBureau)
	testdb.AddUser(t, db, "ai.off", "鲁0102", "执行一庭", domain.RoleOfficer)
	today := domain.DateOf(db.Now(), domain.Beijing)
	if _, err := db.CreateInspection(ctx, domain.ViewerFor(lead, ""), store.InspectionInput{Campaign: inspection.Campaign{Kind: inspection.KindPatrol,
		Theme: inspection.ThemeDiscipline, Title: "司法巡查", From: today, To: today.AddDays(30)}, Courts: []string{"鲁0102"},
		MemberIDs: []int64{lead.ID, grp.ID, sup.ID}, LeaderID: lead.ID, PerCourt: 1, Thresholds: inspection.DefaultThresholds(), AnswerDays: 7,
		Schedule: store.ScheduleYearly}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		who    string
		status int
		full   bool
	}{{"ai.lead", 200, true}, {"ai.bur0102", 200, false}, {"ai.off", 403, false}} {
		status, body := e.call("GET", "/api/v1/inspections", e.token(c.who), "")
		if status != c.status {
			t.Fatalf("%s: %d %v", c.who, status, body)
		}
		if status != 200 {
			continue
		}
		list, _ := body["inspections"].([]any)
		if len(list) != 1 {
			t.Fatalf("%s: %v", c.who, body)
		}
		x := list[0].(map[string]any)
		if x["state"] != "prep" || x["state_label"] != "筹备" || x["kind"] != "patrol" || x["full"] != c.full || x["schedule"] != "yearly" {
			t.Errorf("%s: %v", c.who, x)
		}
	}
}
