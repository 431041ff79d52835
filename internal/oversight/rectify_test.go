package oversight

import (
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
)

func TestOverdueAndReminders(t *testing.T) {
	d := domain.MustDate("2026-03-20")
	for _, c := range []struct {
		s       ItemState
		today   string
		shown   ItemState
		remind  bool
		overdue bool
	}{
		{StatePending, "2026-03-17", StatePending, true, false},
		{StatePending, "2026-03-18", StatePending, false, false},
		{StateProgress, "2026-03-20", StateProgress, false, false},
		{StateProgress, "2026-03-21", StateOverdue, true, true},
		{StateProgress, "2026-03-22", StateOverdue, false, false},
		{StateProgress, "2026-03-28", StateOverdue, true, true},
		{StateSubmitted, "2026-03-21", StateOverdue, false, false},
		{StateClosed, "2026-04-21", StateClosed, false, false},
	} {
		today := domain.MustDate(c.today)
		if got := Shown(c.s, d, today); got != c.shown {
			t.Errorf("%s on %s shows %s, want %s", c.s, c.today, got, c.shown)
		}
		if r, o := RemindOn(c.s, d, today); r != c.remind || o != c.overdue {
			t.Errorf("%s on %s reminds %v/%v, want %v/%v", c.s, c.today, r, o, c.remind, c.overdue)
		}
	}
}

func TestRectRules(t *testing.T) {
	at := func(path string, id int64, roles ...domain.Role) domain.Viewer {
		return domain.Viewer{UserID: id, CourtPath: path, Roles: roles}
	}
	r := Rect{CourtPath: "/鲁/鲁01/鲁0102/", IssuerCourtPath: "/鲁/鲁01/", Responsible: 9}
	if !CanIssue(at("/鲁/鲁01/", 1, domain.RoleSupervisionOffice), r.CourtPath) || CanIssue(at("/鲁/鲁01/", 1, domain.RoleBureau), r.CourtPath) ||
		CanIssue(at("/鲁/鲁02/", 1, domain.RoleDisciplineGroup), r.CourtPath) {
		t.Error("CanIssue")
	}
	if !CanSeeRect(at("/鲁/鲁01/鲁0102/", 9, domain.RoleOfficer), r) || CanSeeRect(at("/鲁/鲁01/鲁0102/", 8, domain.RoleOfficer), r) ||
		CanSeeRect(at("/鲁/鲁01/鲁0102/", 8, domain.RoleCommandCenter), r) || !CanSeeRect(at("/鲁/", 8, domain.RoleBureau), r) {
		t.Error("CanSeeRect")
	}
	if !CanAccept(at("/鲁/鲁01/", 1, domain.RoleDisciplineGroup), r) || CanAccept(at("/鲁/鲁01/鲁0102/", 1, domain.RoleDisciplineGroup), r) ||
		CanAccept(at("/鲁/鲁01/", 1, domain.RoleBureau), r) {
		t.Error("CanAccept")
	}
	if !CanReport(at("/x/", 9), r) || !CanReport(at("/鲁/鲁01/鲁0102/", 2, domain.RoleBureau), r) || CanReport(at("/鲁/鲁01/鲁0102/", 2, domain.RoleOfficer), r) {
		t.Error("CanReport")
	}
	if CanMove(StateClosed, "report") || !CanMove(StateSubmitted, "accept") || CanMove(StatePending, "return") {
		t.Error("CanMove")
	}
}
