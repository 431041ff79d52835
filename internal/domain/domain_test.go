package domain

import (
	"errors"
	"testing"
)

func TestCheckPassword(t *testing.T) {
	tests := []struct {
		user, pw string
		ok       bool
	}{
		{"zhangwei", "Zhilian@2026", true},
		{"zhangwei", "abcDEF12", true},      // lower, upper, digit
		{"zhangwei", "abcdef1!", true},      // lower, digit, symbol
		{"zhangwei", "Ab1!", false},         // too short
		{"zhangwei", "abcdefgh1", false},    // two classes
		{"zhangwei", "ABCDEFGH!", false},    // two classes
		{"zhangwei", "密码密码密码密码", false},     // one class (other)
		{"Zhang.Wei1", "zhang.wei1", false}, // the username, other case
		{"zhangwei", "Zhangwei1!", true},    // contains it but is not it
		{"zhangwei", "密码Ab12345", true},     // CJK counts as other
		{"zhangwei", "Ab1!Ab1!", true},      // exactly eight
		{"zhangwei", "Ab1!Ab1", false},      // seven
	}
	for _, tt := range tests {
		err := CheckPassword(tt.user, tt.pw)
		if (err == nil) != tt.ok {
			t.Errorf("CheckPassword(%q, %q) = %v, want ok=%v", tt.user, tt.pw, err, tt.ok)
		}
		if err != nil && (!errors.Is(err, ErrInvalid) || UserMessage(err) == "") {
			t.Errorf("error %v has no user message", err)
		}
	}
}

func TestViewerScope(t *testing.T) {
	v := func(path string, roles ...Role) Viewer { return Viewer{CourtPath: path, Roles: roles} }
	const (
		high   = "/鲁/"
		jinan  = "/鲁/鲁01/"
		lixia  = "/鲁/鲁01/鲁0102/"
		qd     = "/鲁/鲁02/"
		shinan = "/鲁/鲁02/鲁0202/"
	)
	tests := []struct {
		name   string
		viewer Viewer
		court  string
		want   bool
	}{
		{"officer own court", v(lixia, RoleOfficer), lixia, true},
		{"officer other court", v(lixia, RoleOfficer), "/鲁/鲁01/鲁0103/", false},
		{"intermediate officer below", v(jinan, RoleOfficer), lixia, false},
		{"intermediate watchdog below", v(jinan, RoleDisciplineGroup), lixia, true},
		{"intermediate bureau below", v(jinan, RoleBureau), lixia, true},
		{"intermediate supervision below", v(jinan, RoleSupervisionOffice), lixia, true},
		{"watchdog sideways", v(jinan, RoleDisciplineGroup), shinan, false},
		{"watchdog sideways court", v(jinan, RoleDisciplineGroup), qd, false},
		{"watchdog upward", v(jinan, RoleDisciplineGroup), high, false},
		{"high court watchdog everything", v(high, RoleSupervisionOffice), shinan, true},
		{"command centre below", v(jinan, RoleCommandCenter), lixia, false},
		{"no court", v("", RoleBureau), lixia, false},
		{"system", SystemViewer("t"), shinan, true},
		{"code prefix is not a parent", v("/鲁/鲁0/", RoleBureau), jinan, false}, // paths end in /: 鲁0 is not 鲁01's parent
	}
	for _, tt := range tests {
		if got := tt.viewer.CanSeeCourt(tt.court); got != tt.want {
			t.Errorf("%s: CanSeeCourt = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestSeparationOfDuties(t *testing.T) {
	admin := Viewer{CourtPath: "/鲁/", Roles: []Role{RoleAdmin}}
	if admin.CanReadCases() || admin.CanReadAudit() || !admin.CanAdminister() {
		t.Fatal("an administrator alone must manage accounts but read neither cases nor the audit trail")
	}
	both := Viewer{CourtPath: "/鲁/", Roles: []Role{RoleAdmin, RoleBureau}}
	if !both.CanReadCases() || both.CanReadAudit() {
		t.Fatal("admin with a business role reads cases, still not the audit trail")
	}
	watch := Viewer{CourtPath: "/鲁/", Roles: []Role{RoleDisciplineGroup}}
	if !watch.CanReadAudit() || watch.CanAdminister() {
		t.Fatal("the watchdog reads the audit trail and administers nothing")
	}
}
