package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/sms"
	"github.com/zhilian/zhilian/internal/trip"
	"github.com/zhilian/zhilian/internal/visit"
)

// SMSCatalog is every message zhilian sends, each defined in the package
// that owns it: the visit's questions, the trip reports' reminders, the
// notices, the password reset and the gateway test.
func SMSCatalog() []domain.SMSTemplate {
	return slices.Concat(visit.SMSTemplates(), trip.SMSTemplates(), oversight.SMSTemplates(),
		[]domain.SMSTemplate{domain.PasswordResetTemplate(), sms.TestTemplate()})
}

// SMSTemplateNamed is the catalogue's template called name.
func SMSTemplateNamed(name string) (domain.SMSTemplate, bool) {
	for _, t := range SMSCatalog() {
		if t.Name == name {
			return t, true
		}
	}
	return domain.SMSTemplate{}, false
}

// Where a court's text of a template comes from.
const (
	SMSTextOwn       = "own"       // the court's own
	SMSTextInherited = "inherited" // a court above it
	SMSTextDefault   = "default"   // the default text
)

// SMSTemplateSetting is a template as a court sends it.
type SMSTemplateSetting struct {
	domain.SMSTemplate
	Body       string // the text in force
	ProviderID string // the provider's template ID
	Source     string // SMSTextOwn, SMSTextInherited or SMSTextDefault
	FromCourt  string // the court above whose text it is (SMSTextInherited)
	UpdatedBy  string
	UpdatedAt  time.Time
}

// SMSSignature is a court's signature.
type SMSSignature struct {
	Signature string // without 【】
	Own       bool   // set by an administrator, not the court's name
	UpdatedBy string
	UpdatedAt time.Time
}

// SMSTemplatesOf is a court's templates and signature as its
// administrator sees them.
type SMSTemplatesOf struct {
	Court     *domain.Court
	Signature SMSSignature
	Templates []SMSTemplateSetting
}

// Template returns the setting of the template called name.
func (s SMSTemplatesOf) Template(name string) (SMSTemplateSetting, bool) {
	for _, t := range s.Templates {
		if t.Name == name {
			return t, true
		}
	}
	return SMSTemplateSetting{}, false
}

// smsAdminCourt loads a court v administers: its own or one below it.
func smsAdminCourt(ctx context.Context, q querier, v domain.Viewer, courtID int64) (*domain.Court, error) {
	if !v.CanAdminister() {
		return nil, domain.Errorf(domain.ErrForbidden, "只有系统管理员可以设置短信模板。")
	}
	c, err := scanCourt(q.queryRow(ctx, "SELECT "+courtColumns+" FROM courts c LEFT JOIN courts p ON p.id = c.parent_id WHERE c.id = ?", courtID))
	if err != nil {
		return nil, fmt.Errorf("loading court %d: %w", courtID, err)
	}
	if !strings.HasPrefix(c.Path, v.AdminScope()) {
		return nil, fmt.Errorf("court %d outside the administrator's scope: %w", courtID, domain.ErrNotFound)
	}
	return c, nil
}

// SMSTemplates lists the templates of a court v administers, each with the
// text in force there, and the court's signature.
func (db *DB) SMSTemplates(ctx context.Context, v domain.Viewer, courtID int64) (SMSTemplatesOf, error) {
	c, err := smsAdminCourt(ctx, db, v, courtID)
	if err != nil {
		return SMSTemplatesOf{}, err
	}
	out := SMSTemplatesOf{Court: c}
	if out.Signature, err = courtSignature(ctx, db, c); err != nil {
		return out, err
	}
	rows, err := smsTemplateRows(ctx, db, c.Path, "")
	if err != nil {
		return out, err
	}
	for _, t := range SMSCatalog() {
		out.Templates = append(out.Templates, settingOf(t, rows[t.Name], c.Path))
	}
	return out, nil
}

// smsTemplateRow is a court's stored text of a template.
type smsTemplateRow struct {
	name, body, providerID, updatedBy, path, court string
	updatedAt                                      time.Time
}

// smsTemplateRows are the stored texts in force at the court at path, by
// template: the court's own, else its nearest ancestor's. name limits
// them to one template ("" for all).
func smsTemplateRows(ctx context.Context, q querier, path, name string) (map[string]smsTemplateRow, error) {
	args := []any{path}
	cond := ""
	if name != "" {
		cond, args = " AND t.name = ?", append(args, name)
	}
	rows, err := collect(ctx, q, func(row scanner) (r smsTemplateRow, err error) {
		err = row.Scan(&r.name, &r.body, &r.providerID, &r.updatedBy, &r.updatedAt, &r.path, &r.court)
		return r, err
	}, `SELECT t.name, t.body, t.provider_id, t.updated_by, t.updated_at, c.path, c.name FROM sms_templates t JOIN courts c ON c.id = t.court_id
		WHERE substr(?, 1, length(c.path)) = c.path`+cond+` ORDER BY length(c.path)`, args...)
	if err != nil {
		return nil, fmt.Errorf("loading SMS templates: %w", err)
	}
	out := map[string]smsTemplateRow{}
	for _, r := range rows { // the nearest court last, so it wins
		out[r.name] = r
	}
	return out, nil
}

func settingOf(t domain.SMSTemplate, r smsTemplateRow, path string) SMSTemplateSetting {
	s := SMSTemplateSetting{SMSTemplate: t, Body: t.Default, Source: SMSTextDefault}
	if r.name == "" {
		return s
	}
	s.Body, s.ProviderID, s.UpdatedBy, s.UpdatedAt = r.body, r.providerID, r.updatedBy, r.updatedAt.UTC()
	s.Source = SMSTextOwn
	if r.path != path {
		s.Source, s.FromCourt = SMSTextInherited, r.court
	}
	return s
}

// courtSignature is the court's signature: its own, else its name.
func courtSignature(ctx context.Context, q querier, c *domain.Court) (SMSSignature, error) {
	s := SMSSignature{Signature: c.Name}
	err := q.queryRow(ctx, "SELECT signature, updated_by, updated_at FROM sms_signatures WHERE court_id = ?", c.ID).Scan(&s.Signature, &s.UpdatedBy, &s.UpdatedAt)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return SMSSignature{Signature: c.Name}, nil
	case err != nil:
		return s, fmt.Errorf("loading the signature: %w", translate(err))
	}
	s.Own, s.UpdatedAt = true, s.UpdatedAt.UTC()
	return s, nil
}

// providerIDPattern is what a provider's template ID looks like: digits
// (Tencent Cloud), SMS_ and digits (others), letters, dashes.
var providerIDPattern = regexp.MustCompile(`^[A-Za-z0-9_\-]{1,40}$`)

// SaveSMSTemplate sets a court's text of a template and the provider's
// template ID for it, as the administrator v gives them.
func (db *DB) SaveSMSTemplate(ctx context.Context, v domain.Viewer, courtID int64, name, body, providerID string) error {
	return db.Update(ctx, v, func(tx *Tx) error { return tx.SaveSMSTemplate(ctx, courtID, name, body, providerID) })
}

// SaveSMSTemplate sets a court's text of a template, checked against the
// template's variables and rules, and the provider's template ID, and
// records the change.
func (tx *Tx) SaveSMSTemplate(ctx context.Context, courtID int64, name, body, providerID string) error {
	c, err := smsAdminCourt(ctx, tx, tx.v, courtID)
	if err != nil {
		return err
	}
	t, ok := SMSTemplateNamed(name)
	if !ok {
		return fmt.Errorf("SMS template %q: %w", name, domain.ErrNotFound)
	}
	body, providerID = strings.TrimSpace(body), strings.TrimSpace(providerID)
	fe := domain.FieldErrors{}
	if err := t.Validate(body); err != nil {
		fe.Add("body", domain.UserMessage(err))
	}
	if providerID != "" && !providerIDPattern.MatchString(providerID) {
		fe.Add("provider_id", "模板ID只能由字母、数字、下划线和连字符组成，不超过40个字符。")
	}
	if err := fe.Err(); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `INSERT INTO sms_templates (court_id, name, body, provider_id, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (court_id, name) DO UPDATE SET body = excluded.body, provider_id = excluded.provider_id, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
		c.ID, name, body, providerID, smsEditor(tx.v), tx.db.now()); err != nil {
		return fmt.Errorf("saving SMS template: %w", translate(err))
	}
	detail := t.Label + "：" + body
	if providerID != "" {
		detail += "（模板ID " + providerID + "）"
	}
	return tx.Audit(ctx, Entry{Action: "sms.template", ObjectType: "sms_template", ObjectID: name, CourtPath: c.Path, Success: true, Detail: truncate(detail, 900)})
}

// ResetSMSTemplate drops a court's own text of a template in a
// transaction of its own.
func (db *DB) ResetSMSTemplate(ctx context.Context, v domain.Viewer, courtID int64, name string) error {
	return db.Update(ctx, v, func(tx *Tx) error { return tx.ResetSMSTemplate(ctx, courtID, name) })
}

// ResetSMSTemplate drops a court's own text of a template: the court
// takes the text of the court above it again, or the default.
func (tx *Tx) ResetSMSTemplate(ctx context.Context, courtID int64, name string) error {
	c, err := smsAdminCourt(ctx, tx, tx.v, courtID)
	if err != nil {
		return err
	}
	t, ok := SMSTemplateNamed(name)
	if !ok {
		return fmt.Errorf("SMS template %q: %w", name, domain.ErrNotFound)
	}
	if _, err := tx.exec(ctx, "DELETE FROM sms_templates WHERE court_id = ? AND name = ?", c.ID, name); err != nil {
		return fmt.Errorf("resetting SMS template: %w", err)
	}
	return tx.Audit(ctx, Entry{Action: "sms.template_reset", ObjectType: "sms_template", ObjectID: name, CourtPath: c.Path, Success: true, Detail: t.Label})
}

// SaveSMSSignature sets a court's signature in a transaction of its own.
func (db *DB) SaveSMSSignature(ctx context.Context, v domain.Viewer, courtID int64, signature string) error {
	return db.Update(ctx, v, func(tx *Tx) error { return tx.SaveSMSSignature(ctx, courtID, signature) })
}

// SaveSMSSignature sets the court's signature as registered with the
// provider (empty: the court's name again) and records the change.
func (tx *Tx) SaveSMSSignature(ctx context.Context, courtID int64, signature string) error {
	c, err := smsAdminCourt(ctx, tx, tx.v, courtID)
	if err != nil {
		return err
	}
	detail := "恢复为法院名称"
	if strings.TrimSpace(signature) == "" {
		if _, err := tx.exec(ctx, "DELETE FROM sms_signatures WHERE court_id = ?", c.ID); err != nil {
			return fmt.Errorf("resetting the signature: %w", err)
		}
	} else {
		sig, err := domain.NormalizeSignature(signature)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO sms_signatures (court_id, signature, updated_by, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (court_id) DO UPDATE SET signature = excluded.signature, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			c.ID, sig, smsEditor(tx.v), tx.db.now()); err != nil {
			return fmt.Errorf("saving the signature: %w", translate(err))
		}
		detail = "【" + sig + "】"
	}
	return tx.Audit(ctx, Entry{Action: "sms.signature", ObjectType: "sms_signature", ObjectID: c.Code, CourtPath: c.Path, Success: true, Detail: detail})
}

// smsEditor is who changed a setting, by name as people read it.
func smsEditor(v domain.Viewer) string {
	if v.Name != "" {
		return v.Name
	}
	return v.Username
}

// smsParam is one parameter of a message, for a provider that takes a
// template ID.
type smsParam struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// renderedSMS is a message as the court at which it is sent has its
// template: the text with the signature, and what a provider that takes a
// template ID needs.
type renderedSMS struct {
	template, templateID, sign, body string
	params                           []smsParam
}

// paramsJSON is the parameters as the outbox keeps them.
func (r renderedSMS) paramsJSON() string {
	if len(r.params) == 0 {
		return ""
	}
	return mustJSON(r.params)
}

// renderSMS writes the message of template name at the court courtID: the
// court's text (or its ancestor's, or the default), vals filled in with
// the court's name, under the court's signature.
func (tx *Tx) renderSMS(ctx context.Context, courtID int64, name string, vals map[string]string) (renderedSMS, error) {
	t, ok := SMSTemplateNamed(name)
	if !ok {
		return renderedSMS{}, fmt.Errorf("no SMS template %q", name)
	}
	c, err := scanCourt(tx.queryRow(ctx, "SELECT "+courtColumns+" FROM courts c LEFT JOIN courts p ON p.id = c.parent_id WHERE c.id = ?", courtID))
	if err != nil {
		return renderedSMS{}, fmt.Errorf("loading the court of a message: %w", err)
	}
	sig, err := courtSignature(ctx, tx, c)
	if err != nil {
		return renderedSMS{}, err
	}
	rows, err := smsTemplateRows(ctx, tx, c.Path, name)
	if err != nil {
		return renderedSMS{}, err
	}
	s := settingOf(t, rows[name], c.Path)
	all := map[string]string{domain.SMSCourtVar.Name: c.Name}
	for k, v := range vals {
		all[k] = v
	}
	r := renderedSMS{template: name, templateID: s.ProviderID, sign: sig.Signature, body: domain.Signed(sig.Signature, domain.Render(s.Body, all))}
	for _, p := range t.Params(s.Body) {
		r.params = append(r.params, smsParam{p, all[p]})
	}
	return r, nil
}

// openParams reads the parameters a message keeps.
func openParams(s string) ([]smsParam, error) {
	if s == "" {
		return nil, nil
	}
	var ps []smsParam
	if err := json.Unmarshal([]byte(s), &ps); err != nil {
		return nil, fmt.Errorf("reading a message's parameters: %w", err)
	}
	return ps, nil
}

// outMessage is a message to put in the outbox.
type outMessage struct {
	visitID                              int64
	kind, sealed, index, key, linkSealed string
	sms                                  renderedSMS
}

// queueOut puts m in the outbox. A message whose key is there already is
// an error, or passed over when once is set; it reports whether m was
// queued.
func (tx *Tx) queueOut(ctx context.Context, m outMessage, once bool) (bool, error) {
	q := `INSERT INTO sms_outbox (visit_id, kind, phone_sealed, phone_index, body, idempotency_key, created_at, link_sealed, template, template_id, sign_name, params)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	if once {
		q += " ON CONFLICT (idempotency_key) DO NOTHING"
	}
	res, err := tx.exec(ctx, q, nullID(m.visitID), m.kind, m.sealed, m.index, m.sms.body, m.key, tx.db.now(), m.linkSealed,
		m.sms.template, m.sms.templateID, m.sms.sign, m.sms.paramsJSON())
	if err != nil {
		return false, translate(err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}
