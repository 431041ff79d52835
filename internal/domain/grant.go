package domain

import "time"

// Statuses of a role grant or an account request, the changes a second
// security administrator approves (Role.NeedsApproval, User.Sensitive).
const (
	GrantPending   = "pending"
	GrantApproved  = "approved"
	GrantRejected  = "rejected"
	GrantCancelled = "cancelled"
)

// GrantStatusLabels name the statuses for people.
var GrantStatusLabels = map[string]string{
	GrantPending:   "待审批",
	GrantApproved:  "已生效",
	GrantRejected:  "已驳回",
	GrantCancelled: "已撤回",
}

// Kinds of account requests: resets of a sensitive account's password or
// second factor, which a second security administrator approves.
const (
	ResetPassword = "password"
	ResetMFA      = "mfa"
)

// ResetKindLabels name the kinds for people.
var ResetKindLabels = map[string]string{ResetPassword: "重置密码", ResetMFA: "重置动态口令"}

// SMSPasswordReset is the template of the SMS to a user whose password
// an administrator reset; its variable 时间 is when, as PasswordResetTime
// writes it.
const SMSPasswordReset = "user.password_reset"

// PasswordResetTemplate is the SMS to a user whose password an
// administrator reset.
func PasswordResetTemplate() SMSTemplate {
	return SMSTemplate{Name: SMSPasswordReset, Label: "登录密码已被重置", To: "工作人员本人",
		Vars:    []SMSVar{SMSCourtVar, {Name: "时间", Sample: "03月05日09:30", Required: true}},
		Default: "您的执廉系统登录密码已于{时间}由管理员重置，请登录后立即修改。如非本人申请，请立即联系本院安全管理员。"}
}

// PasswordResetTime is the template's 时间 for a reset at at.
func PasswordResetTime(at time.Time) string { return at.In(Beijing).Format("01月02日15:04") }
