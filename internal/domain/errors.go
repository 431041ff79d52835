// Package domain holds zhilian's types, error codes and rules. It does no I/O
// and imports nothing of ours, so every rule here is tested without a database.
package domain

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Error codes. Stores and services return errors that wrap one of these so
// that the web and API layers can map them to statuses without reading text.
var (
	ErrNotFound     = errors.New("not found")
	ErrConflict     = errors.New("conflict")
	ErrInvalid      = errors.New("invalid")
	ErrForbidden    = errors.New("forbidden")
	ErrUnauthorized = errors.New("unauthorized")
	ErrLocked       = errors.New("locked")
	// ErrStorageFull: the database's disk is full; nothing was written.
	ErrStorageFull = errors.New("storage full")
	// ErrUnavailable: the database does not answer (a PostgreSQL outage);
	// try again shortly.
	ErrUnavailable = errors.New("database unavailable")
)

// Error is a domain error with a message fit for users (in Chinese) and,
// optionally, the field it concerns. Its Code is one of the Err* values.
type Error struct {
	Code    error
	Field   string
	Message string
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%v: %s: %s", e.Code, e.Field, e.Message)
	}
	return fmt.Sprintf("%v: %s", e.Code, e.Message)
}

func (e *Error) Unwrap() error { return e.Code }

// Invalid returns an ErrInvalid error for field with a message for users.
func Invalid(field, message string) error {
	return &Error{Code: ErrInvalid, Field: field, Message: message}
}

// Errorf returns a domain error with the given code and user message.
func Errorf(code error, format string, args ...any) error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// UserMessage returns the message a user may see for err: the domain
// message if there is one, or a generic text per code. Internal error text
// never reaches users.
func UserMessage(err error) string {
	var de *Error
	if errors.As(err, &de) && de.Message != "" {
		return de.Message
	}
	// A form's refusals say what is wrong with each field, in field order.
	var ve *ValidationError
	if errors.As(err, &ve) && len(ve.Fields) > 0 {
		fields := make([]string, 0, len(ve.Fields))
		for f := range ve.Fields {
			fields = append(fields, f)
		}
		sort.Strings(fields)
		msgs := make([]string, len(fields))
		for i, f := range fields {
			msgs[i] = ve.Fields[f]
		}
		return strings.Join(msgs, "；")
	}
	switch {
	case errors.Is(err, ErrNotFound):
		return "未找到该记录，或您无权查看。"
	case errors.Is(err, ErrConflict):
		return "该记录已存在或已被他人修改，请刷新后重试。"
	case errors.Is(err, ErrInvalid):
		return "提交的内容不符合要求，请检查后重试。"
	case errors.Is(err, ErrForbidden):
		return "您无权执行此操作。"
	case errors.Is(err, ErrUnauthorized):
		return "请先登录。"
	case errors.Is(err, ErrLocked):
		return "账户已被临时锁定，请稍后再试。"
	case errors.Is(err, ErrStorageFull):
		return "存储空间不足，本次操作未保存。请联系系统管理员清理服务器磁盘后重试。"
	case errors.Is(err, ErrUnavailable):
		return "数据库暂时无法连接，请稍后重试。"
	}
	return "系统内部错误，请稍后重试或联系管理员。"
}

// FieldErrors collects per-field validation messages for forms.
type FieldErrors map[string]string

// Add records msg for field unless the field already has one.
func (fe FieldErrors) Add(field, msg string) {
	if _, ok := fe[field]; !ok {
		fe[field] = msg
	}
}

// Err returns nil if there are no errors, else an ErrInvalid error carrying them.
func (fe FieldErrors) Err() error {
	if len(fe) == 0 {
		return nil
	}
	return &ValidationError{Fields: fe}
}

// ValidationError is an ErrInvalid error with messages per form field.
type ValidationError struct{ Fields FieldErrors }

func (e *ValidationError) Error() string {
	return fmt.Sprintf("invalid: %v", map[string]string(e.Fields))
}
func (e *ValidationError) Unwrap() error { return ErrInvalid }
