package domain

import (
	_ "embed"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
)

// User is an account. A user belongs to one court and one department and
// holds one or more roles.
type User struct {
	ID           int64
	Username     string
	Name         string
	CourtID      int64
	CourtCode    string
	CourtName    string
	CourtPath    string
	DepartmentID int64
	Department   string
	Roles        []Role
	// PendingRoles are grants awaiting a second security administrator.
	PendingRoles []Role
	// Liaison marks the 联络员 of the user's body (执行局, 纪检监察组, 监察室),
	// who receives that body's notifications.
	Liaison bool
	// Mobile, when set on a create or update, replaces the user's mobile
	// for reminder SMS; ClearMobile removes it. Neither is read back: the
	// store keeps the number sealed.
	Mobile      string
	ClearMobile bool
	Disabled    bool
	// MustChangePassword is set by an administrator's reset: the next
	// session reaches only the change-password page.
	MustChangePassword bool
	PasswordChangedAt  time.Time
	// SecondFactor is set once the user has enrolled a TOTP authenticator.
	SecondFactor bool
	LockedUntil  time.Time
	LastLoginAt  time.Time
	CreatedAt    time.Time
}

// HasRole reports whether the user holds r.
func (u *User) HasRole(r Role) bool { return slices.Contains(u.Roles, r) }

// RoleLabels returns the Chinese names of the user's roles.
func (u *User) RoleLabels() []string {
	out := make([]string, len(u.Roles))
	for i, r := range u.Roles {
		out[i] = r.Label()
	}
	return out
}

// NeedsSecondFactor reports whether the user must pass a TOTP code after
// the password: every holder of an administrative or watchdog role.
func (u *User) NeedsSecondFactor() bool {
	for _, r := range u.Roles {
		if r.NeedsSecondFactor() {
			return true
		}
	}
	return false
}

// Sensitive reports whether the user holds a role whose grant needs a
// second security administrator; such accounts are managed by the
// security administrator, not the system administrator.
func (u *User) Sensitive() bool {
	for _, r := range append(slices.Clone(u.Roles), u.PendingRoles...) {
		if r.NeedsApproval() {
			return true
		}
	}
	return false
}

// Locked reports whether the account is locked at now.
func (u *User) Locked(now time.Time) bool { return now.Before(u.LockedUntil) }

var usernameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.\-]{1,31}$`)

// ValidateUser checks the fields of a user before it is stored.
func ValidateUser(u *User) error {
	fe := FieldErrors{}
	u.Username = strings.TrimSpace(u.Username)
	u.Name = strings.TrimSpace(u.Name)
	u.Department = strings.TrimSpace(u.Department)
	if !usernameRE.MatchString(u.Username) {
		fe.Add("username", "用户名应为2至32位字母、数字、下划线、点或连字符，以字母或数字开头")
	}
	if u.Name == "" || len([]rune(u.Name)) > 32 {
		fe.Add("name", "姓名不能为空，且不超过32个字")
	}
	if u.CourtCode == "" && u.CourtID == 0 {
		fe.Add("court", "请选择所属法院")
	}
	if u.Department == "" && u.DepartmentID == 0 {
		fe.Add("department", "请填写所属部门")
	}
	for _, r := range u.Roles {
		if !r.Valid() {
			fe.Add("role", "未知角色："+string(r))
		}
	}
	u.Roles = SortRoles(u.Roles)
	if err := CheckRoleSet(u.Roles); err != nil {
		fe.Add("role", UserMessage(err))
	}
	return fe.Err()
}

// PasswordMinLength is the shortest password accepted (OWASP ASVS 2.1.1).
const PasswordMinLength = 12

// PasswordHint is the policy as users read it.
const PasswordHint = "至少12位，包含大写字母、小写字母、数字、符号中的至少三类，不得使用常见密码，不得包含用户名或姓名"

//go:embed data/common-passwords.txt
var commonPasswordList string

// commonPasswords is the set of the 10,000 most common passwords
// (data/README.md), lower-cased.
var commonPasswords = sync.OnceValue(func() map[string]bool {
	m := make(map[string]bool, 10000)
	for _, l := range strings.Split(commonPasswordList, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			m[strings.ToLower(l)] = true
		}
	}
	return m
})

// isCommon reports whether a password is a common one, or a common one
// of six or more characters dressed with leading or trailing digits and
// symbols ("Password2026!", "!!qwerty123").
func isCommon(password string) bool {
	p := strings.ToLower(password)
	if commonPasswords()[p] {
		return true
	}
	core := strings.TrimFunc(p, func(r rune) bool { return !unicode.IsLetter(r) })
	return len(core) >= 6 && commonPasswords()[core]
}

// CheckPassword enforces the password policy: at least twelve characters
// of at least three of the four classes (lower, upper, digit, other), not
// one of the common passwords, and containing neither the username nor the
// user's name in any letter case.
func CheckPassword(username, name, password string) error {
	if len([]rune(password)) < PasswordMinLength {
		return Invalid("password", "密码至少12位")
	}
	if len(password) > 256 {
		return Invalid("password", "密码过长")
	}
	lower := strings.ToLower(password)
	if u := strings.ToLower(strings.TrimSpace(username)); len(u) >= 3 && strings.Contains(lower, u) {
		return Invalid("password", "密码不得包含用户名")
	}
	if n := strings.ToLower(strings.TrimSpace(name)); n != "" && len([]rune(n)) >= 2 && strings.Contains(lower, n) {
		return Invalid("password", "密码不得包含姓名")
	}
	if isCommon(password) {
		return Invalid("password", "该密码过于常见，容易被猜中，请换一个")
	}
	var hasLower, hasUpper, digit, other bool
	for _, r := range password {
		switch {
		case unicode.IsLower(r):
			hasLower = true
		case unicode.IsUpper(r):
			hasUpper = true
		case unicode.IsDigit(r):
			digit = true
		default:
			other = true
		}
	}
	classes := 0
	for _, b := range []bool{hasLower, hasUpper, digit, other} {
		if b {
			classes++
		}
	}
	if classes < 3 {
		return Invalid("password", "密码须包含大写字母、小写字母、数字、符号中的至少三类")
	}
	return nil
}
