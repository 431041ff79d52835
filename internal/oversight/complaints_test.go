package oversight

import (
	"errors"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
)

func TestStrongRule(t *testing.T) {
	d := domain.MustDate
	r := DefaultStrongRule()
	cases := []struct {
		name string
		ps   []Petition
		want bool
	}{
		{"none", nil, false},
		{"one at the court", []Petition{{d("2026-01-01"), LevelCourt}}, false},
		{"one to the province", []Petition{{d("2026-01-01"), LevelProvince}}, true},
		{"one to a higher court", []Petition{{d("2026-01-01"), LevelHigher}}, true},
		{"two in six months", []Petition{{d("2026-01-01"), LevelCourt}, {d("2026-07-01"), LevelCourt}}, true},
		{"two seven months apart", []Petition{{d("2026-01-01"), LevelCourt}, {d("2026-08-02"), LevelCourt}}, false},
		{"three, the last two close", []Petition{{d("2025-01-01"), LevelCourt}, {d("2026-05-01"), LevelCourt}, {d("2026-03-01"), LevelCourt}}, true},
	}
	for _, c := range cases {
		if got := r.Strong(c.ps); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
	if (StrongRule{Count: 2, Months: 6}).Strong([]Petition{{d("2026-01-01"), LevelCapital}}) {
		t.Error("a rule without AboveCourt counts a petition to Beijing as strong")
	}
	if (StrongRule{}).Validate() == nil || r.Validate() != nil {
		t.Error("Validate")
	}
}

func TestComplaintSecrecy(t *testing.T) {
	c := Concern{CourtPath: "/鲁/鲁01/鲁0102/", Staff: []int64{7}, Officers: []int64{8}}
	v := func(id int64, path string, roles ...domain.Role) domain.Viewer {
		return domain.Viewer{UserID: id, CourtPath: path, Roles: roles}
	}
	cases := []struct {
		name        string
		v           domain.Viewer
		see, assess bool
	}{
		{"watchdog of the court", v(1, "/鲁/鲁01/鲁0102/", domain.RoleDisciplineGroup), true, true},
		{"supervision office above", v(1, "/鲁/鲁01/", domain.RoleSupervisionOffice), true, true},
		{"bureau above", v(1, "/鲁/", domain.RoleBureau), true, false},
		{"command centre of the court", v(1, "/鲁/鲁01/鲁0102/", domain.RoleCommandCenter), true, false},
		{"command centre above", v(1, "/鲁/鲁01/", domain.RoleCommandCenter), false, false},
		{"watchdog beside", v(1, "/鲁/鲁02/", domain.RoleDisciplineGroup), false, false},
		{"watchdog below", v(1, "/鲁/鲁01/鲁0102/x/", domain.RoleDisciplineGroup), false, false},
		{"officer", v(1, "/鲁/鲁01/鲁0102/", domain.RoleOfficer), false, false},
		{"named staff who is a watchdog", v(7, "/鲁/鲁01/鲁0102/", domain.RoleDisciplineGroup, domain.RoleBureau), false, false},
		{"the case's officer who is in the bureau", v(8, "/鲁/鲁01/", domain.RoleBureau, domain.RoleCommandCenter), false, false},
	}
	for _, tc := range cases {
		if got := CanSee(tc.v, c); got != tc.see {
			t.Errorf("%s: sees %v, want %v", tc.name, got, tc.see)
		}
		if got := CanAssess(tc.v, c); got != tc.assess {
			t.Errorf("%s: assesses %v, want %v", tc.name, got, tc.assess)
		}
	}
}

func TestComplaintValidate(t *testing.T) {
	today := domain.MustDate("2026-06-01")
	ok := Complaint{Kind: KindPetition, Channel: "来访", ReceivedOn: today, Content: " 执行不力 ", Categories: []string{"C1", "C1", ""},
		Level: LevelHigher, Repeat: 2, PersonPhone: "13800000000"}
	ok.Normalize()
	if err := ok.Validate(today); err != nil || ok.Content != "执行不力" || len(ok.Categories) != 1 {
		t.Fatalf("a good petition: %v %+v", err, ok)
	}
	bad := Complaint{Kind: KindPetition, Channel: "电报", ReceivedOn: today.AddDays(1), Categories: []string{"C9"}, PersonPhone: "12"}
	bad.Normalize()
	err := bad.Validate(today)
	var ve *domain.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("bad: %v", err)
	}
	for _, f := range []string{"channel", "received_on", "content", "categories", "level", "repeat", "person_phone"} {
		if ve.Fields[f] == "" {
			t.Errorf("no message for %s: %v", f, ve.Fields)
		}
	}
	c := Complaint{Kind: KindComplaint, Level: LevelCapital, Repeat: 3}
	c.Normalize()
	if c.Level != "" || c.Repeat != 0 {
		t.Error("a complaint keeps a petition's level")
	}
	if CheckAssessment(LeadClear, "有具体时间地点") != nil || CheckAssessment("", "") == nil {
		t.Error("CheckAssessment")
	}
}
