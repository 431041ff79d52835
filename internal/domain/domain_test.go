package domain

import (
	"errors"
	"testing"
)

func TestCheckPassword(t *testing.T) {
	tests := []struct {
		user, name, pw string
		ok             bool
	}{
		{"zhangwei", "张伟", "Zhilian@2026", true},
		{"zhangwei", "张伟", "abcDEF12ghij", true},     // lower, upper, digit
		{"zhangwei", "张伟", "abcdef1!ghij", true},     // lower, digit, symbol
		{"zhangwei", "张伟", "Ab1!Ab1!Ab1!", true},     // exactly twelve
		{"zhangwei", "张伟", "Ab1!Ab1!Ab1", false},     // eleven (ASVS 2.1.1)
		{"zhangwei", "张伟", "abcdefghijk1", false},    // two classes
		{"zhangwei", "张伟", "ABCDEFGHIJK!", false},    // two classes
		{"zhangwei", "张伟", "密码密码密码密码密码密码", false},    // one class (other)
		{"zhangwei", "张伟", "密码Ab12345678", true},     // CJK counts as other
		{"Zhang.Wei1", "张伟", "x!Zhang.wei1X", false}, // holds the username, other case
		{"zhangwei", "张伟", "我是张伟Ab12345", false},     // holds the name
		{"zhangwei", "张伟", "1qaz2wsx3edc", false},    // common (list)
		{"zhangwei", "张伟", "1QAZ2wsx3edc", false},    // common, other case
		{"zhangwei", "张伟", "Password2026!", false},   // a common word dressed up
		{"zhangwei", "张伟", "Qwerty!!2026x", true},    // core "qwerty" + x is not common
	}
	for _, tt := range tests {
		err := CheckPassword(tt.user, tt.name, tt.pw)
		if (err == nil) != tt.ok {
			t.Errorf("CheckPassword(%q, %q, %q) = %v, want ok=%v", tt.user, tt.name, tt.pw, err, tt.ok)
		}
		if err != nil && (!errors.Is(err, ErrInvalid) || UserMessage(err) == "") {
			t.Errorf("error %v has no user message", err)
		}
	}
	// 10,000 lines, 9,913 once letter case is folded.
	if n := len(commonPasswords()); n != 9913 {
		t.Errorf("common password list has %d distinct entries, want 9913", n)
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
	// An account made before 三员分立 with admin and a business role acts
	// as the administrator only.
	both := ViewerFor(&User{CourtPath: "/鲁/", Roles: []Role{RoleAdmin, RoleBureau}}, "")
	if both.CanReadCases() || both.CanReadAudit() || both.Has(RoleBureau) {
		t.Fatal("admin with a business role must not read cases or the audit trail")
	}
	if CheckRoleSet([]Role{RoleAdmin, RoleBureau}) == nil || CheckRoleSet([]Role{RoleAuditor, RoleSecurityAdmin}) == nil {
		t.Fatal("an administrative role combined with another is accepted")
	}
	if CheckRoleSet([]Role{RoleOfficer, RoleDeptHead, RoleCommandCenter}) != nil || CheckRoleSet([]Role{RoleAuditor}) != nil {
		t.Fatal("a valid role set is refused")
	}
	watch := Viewer{CourtPath: "/鲁/", Roles: []Role{RoleDisciplineGroup}}
	if !watch.CanReadAudit() || watch.CanAdminister() || watch.CanGrantRoles() {
		t.Fatal("the watchdog reads the audit trail and administers nothing")
	}
	sec := Viewer{CourtPath: "/鲁/", Roles: []Role{RoleSecurityAdmin}}
	if sec.CanReadCases() || sec.CanReadAudit() || sec.CanAdminister() || !sec.CanGrantRoles() {
		t.Fatal("the security administrator grants roles and reads nothing")
	}
	aud := Viewer{CourtPath: "/鲁/", Roles: []Role{RoleAuditor}}
	if aud.CanReadCases() || !aud.CanReadAudit() || aud.ManagesAccounts() {
		t.Fatal("the auditor reads the audit trail and nothing else")
	}
}
