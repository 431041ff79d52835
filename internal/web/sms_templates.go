package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/visit"
)

// The administrator's pages of the SMS templates: what each message says
// at his court (or a court below), the provider's template ID, the
// court's signature, a preview with sample values and the text to
// register with the provider.

// smsSourceLabels say where a court's text comes from.
var smsSourceLabels = map[string]string{store.SMSTextOwn: "本院设置", store.SMSTextInherited: "沿用上级法院", store.SMSTextDefault: "系统默认"}

// smsPreview is a text as the party or the staff member reads it, with
// sample values, and its length in messages.
type smsPreview struct {
	Text           string
	Length, Parts  int
	Multi, TooLong bool // more than one message; more than two
}

func (s *Server) previewOf(t domain.SMSTemplate, court, signature, text string) smsPreview {
	vals := map[string]string{}
	for _, v := range t.Vars {
		vals[v.Name] = v.Sample
	}
	vals[domain.SMSCourtVar.Name] = court
	if u := strings.TrimSuffix(s.VisitConfig.PublicURL, "/"); u != "" {
		vals[visit.VarURL] = u // the address parties will see
	}
	p := smsPreview{Text: domain.Signed(signature, domain.Render(text, vals))}
	p.Length, p.Parts = domain.SMSLength(p.Text), domain.SMSParts(p.Text)
	p.Multi, p.TooLong = p.Parts > 1, p.Parts > 2
	return p
}

// smsCourtOf is the court the page is about: a form's court, or
// ?court=, else the administrator's own.
func smsCourtOf(r *http.Request, v domain.Viewer) int64 {
	if id, err := strconv.ParseInt(r.FormValue("court"), 10, 64); err == nil && id > 0 {
		return id
	}
	return v.CourtID
}

// needsTemplateIDs reports whether the provider in use sends by template
// ID, so that a template without one cannot go.
func (s *Server) needsTemplateIDs() bool {
	return s.SMSHealth != nil && s.SMSHealth().Provider == "tencent"
}

// smsTemplates lists the templates of a court with their texts in force.
func (s *Server) smsTemplates(w http.ResponseWriter, r *http.Request, rq *request) {
	ctx := r.Context()
	of, err := s.DB.SMSTemplates(ctx, rq.viewer, smsCourtOf(r, rq.viewer))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	courts, err := s.DB.Courts(ctx, rq.viewer)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	type courtOpt struct {
		ID       int64
		Name     string
		Selected bool
	}
	var opts []courtOpt
	for _, c := range courts {
		opts = append(opts, courtOpt{c.ID, c.Name, c.ID == of.Court.ID})
	}
	type row struct {
		store.SMSTemplateSetting
		SourceLabel string
		Preview     smsPreview
		Href        string
	}
	rows := make([]row, 0, len(of.Templates))
	missing := 0
	for _, t := range of.Templates {
		rows = append(rows, row{t, smsSourceLabels[t.Source], s.previewOf(t.SMSTemplate, of.Court.Name, of.Signature.Signature, t.Body),
			"/admin/sms/templates/" + url.PathEscape(t.Name) + "?court=" + strconv.FormatInt(of.Court.ID, 10)})
		if t.ProviderID == "" {
			missing++
		}
	}
	s.render(w, r, http.StatusOK, "sms_templates", &page{Title: "短信模板", Data: struct {
		Of       store.SMSTemplatesOf
		Courts   []courtOpt
		Rows     []row
		NeedsIDs bool
		Missing  int
	}{of, opts, rows, s.needsTemplateIDs(), missing}})
}

// smsTemplateEdit is one template's form: its text, the provider's ID,
// the variables, the default text, a preview and the text to register.
func (s *Server) smsTemplateEdit(w http.ResponseWriter, r *http.Request, rq *request) {
	s.smsTemplatePage(w, r, rq, formState{}, http.StatusOK)
}

func (s *Server) smsTemplatePage(w http.ResponseWriter, r *http.Request, rq *request, form formState, status int) {
	of, err := s.DB.SMSTemplates(r.Context(), rq.viewer, smsCourtOf(r, rq.viewer))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	t, ok := of.Template(r.PathValue("name"))
	if !ok {
		s.fail(w, r, fmt.Errorf("SMS template %q: %w", r.PathValue("name"), domain.ErrNotFound))
		return
	}
	text := t.Body
	if f := refillFrom(r); f != nil {
		text = f.state.Values.Get("body")
	} else if form.Values != nil {
		text = form.Values.Get("body")
	}
	fixed := map[string]string{visit.VarURL: strings.TrimSuffix(s.VisitConfig.PublicURL, "/")}
	if fixed[visit.VarURL] == "" {
		fixed[visit.VarURL] = "（未设置 --public-url）"
	}
	var params []string
	for i, p := range t.Params(text) {
		params = append(params, fmt.Sprintf("{%d} = {%s}", i+1, p))
	}
	p := &page{Title: "短信模板：" + t.Label, Form: form, Data: struct {
		Of           store.SMSTemplatesOf
		T            store.SMSTemplateSetting
		SourceLabel  string
		Preview      smsPreview
		Registration string
		Params       []string
		NeedsIDs     bool
	}{of, t, smsSourceLabels[t.Source], s.previewOf(t.SMSTemplate, of.Court.Name, of.Signature.Signature, text),
		t.Registration(text, fixed), params, s.needsTemplateIDs()}}
	s.render(w, r, status, "sms_template", p)
}

// smsTemplateSave saves a template's text and ID, restores the default,
// or shows the preview of the text typed without saving it.
func (s *Server) smsTemplateSave(w http.ResponseWriter, r *http.Request, rq *request) {
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	court, name := smsCourtOf(r, rq.viewer), r.PathValue("name")
	back := "/admin/sms/templates/" + url.PathEscape(name) + "?court=" + strconv.FormatInt(court, 10)
	var err error
	switch r.PostFormValue("action") {
	case "preview":
		t, ok := store.SMSTemplateNamed(name)
		if !ok {
			s.fail(w, r, fmt.Errorf("SMS template %q: %w", name, domain.ErrNotFound))
			return
		}
		if err := t.Validate(r.PostFormValue("body")); err != nil {
			s.fail(w, r, err)
			return
		}
		s.smsTemplatePage(w, r, rq, formState{Values: r.PostForm}, http.StatusOK)
		return
	case "reset":
		err = s.DB.ResetSMSTemplate(r.Context(), rq.viewer, court, name)
	default:
		err = s.DB.SaveSMSTemplate(r.Context(), rq.viewer, court, name, r.PostFormValue("body"), r.PostFormValue("provider_id"))
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(w, r, map[bool]string{true: "已恢复为上级法院或系统默认的文本。", false: "短信模板已保存。"}[r.PostFormValue("action") == "reset"])
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// smsSignatureSave sets the court's signature.
func (s *Server) smsSignatureSave(w http.ResponseWriter, r *http.Request, rq *request) {
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	court := smsCourtOf(r, rq.viewer)
	if err := s.DB.SaveSMSSignature(r.Context(), rq.viewer, court, r.PostFormValue("signature")); err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(w, r, "短信签名已保存。")
	http.Redirect(w, r, "/admin/sms/templates?court="+strconv.FormatInt(court, 10), http.StatusSeeOther)
}
