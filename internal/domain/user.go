package domain

import (
	"regexp"
	"slices"
	"strings"
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
	// Liaison marks the 联络员 of the user's body (执行局, 纪检监察组, 监察室),
	// who receives that body's notifications.
	Liaison bool
	// Mobile, when set on a create or update, replaces the user's mobile
	// for reminder SMS; ClearMobile removes it. Neither is read back: the
	// store keeps the number sealed.
	Mobile      string
	ClearMobile bool
	Disabled    bool
	LockedUntil time.Time
	LastLoginAt time.Time
	CreatedAt   time.Time
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
	if len(u.Roles) == 0 {
		fe.Add("role", "至少选择一个角色")
	}
	for _, r := range u.Roles {
		if !r.Valid() {
			fe.Add("role", "未知角色："+string(r))
		}
	}
	u.Roles = SortRoles(u.Roles)
	return fe.Err()
}

// PasswordMinLength is the shortest password accepted.
const PasswordMinLength = 8

// PasswordHint is the policy as users read it.
const PasswordHint = "至少8位，包含大写字母、小写字母、数字、符号中的至少三类，且不得与用户名相同"

// CheckPassword enforces the password policy: at least eight characters of
// at least three of the four classes (lower, upper, digit, other), and not
// the username in any letter case.
func CheckPassword(username, password string) error {
	if len([]rune(password)) < PasswordMinLength {
		return Invalid("password", "密码至少8位")
	}
	if len(password) > 256 {
		return Invalid("password", "密码过长")
	}
	if strings.EqualFold(strings.TrimSpace(password), strings.TrimSpace(username)) {
		return Invalid("password", "密码不得与用户名相同")
	}
	var lower, upper, digit, other bool
	for _, r := range password {
		switch {
		case unicode.IsLower(r):
			lower = true
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsDigit(r):
			digit = true
		default:
			other = true
		}
	}
	classes := 0
	for _, b := range []bool{lower, upper, digit, other} {
		if b {
			classes++
		}
	}
	if classes < 3 {
		return Invalid("password", "密码须包含大写字母、小写字母、数字、符号中的至少三类")
	}
	return nil
}
