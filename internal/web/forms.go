package web

import (
	"bytes"
	"context"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
)

// A user's mistake in a form is answered by the form again, never by a
// bare error page: status 422, the form's own page with what was typed
// and each wrong field's message beside it, and the address bar set back
// to the form's URL.
//
// The address is set with history.replaceState (app.js reads the body's
// data-form-url), not by Post/Redirect/Get with the errors in the flash:
// re-rendering keeps everything that was typed (long texts, ticked boxes,
// chosen files' names aside) without carrying it through the session, and
// the 422 status still tells scripts and tests that nothing was saved.
// A reload then asks for the empty form instead of posting again.

// formState is a posted form that failed: what was typed and what is
// wrong with it, field by field. Pages read it through page.Form; its zero
// value (a page shown by GET) answers every question with the fallback.
type formState struct {
	Values url.Values
	Errors map[string]string
}

// Val is what was typed into the field name, or fallback when the page
// was not reached through a failed post.
func (f formState) Val(name, fallback string) string {
	if f.Values == nil {
		return fallback
	}
	return f.Values.Get(name)
}

// queryState is the state of a form of filters read from r's query: the
// fields as typed, each with its message, when bad refused them; none
// otherwise, so that the fields show the values in force (a default
// period, this year) rather than the empty query.
func queryState(r *http.Request, bad error) formState {
	if bad == nil {
		return formState{}
	}
	return formState{Values: r.URL.Query(), Errors: fieldErrors(bad)}
}

// Err is the message for the field name, or "".
func (f formState) Err(name string) string { return f.Errors[name] }

// Checked is whether the box name=value was ticked, or fallback.
func (f formState) Checked(name, value string, fallback bool) bool {
	if f.Values == nil {
		return fallback
	}
	for _, v := range f.Values[name] {
		if v == value {
			return true
		}
	}
	return false
}

// Field hands the field_error partial one field's id and message.
func (f formState) Field(name string) fieldMsg {
	return fieldMsg{ID: "err-" + name, Msg: f.Errors[name]}
}

// fieldMsg is one field's error for the field_error partial.
type fieldMsg struct{ ID, Msg string }

type formKey struct{}

// refilled is a failed post on its way back to its form.
type refilled struct {
	state   formState
	message string
	url     string
}

// formURL is the same-origin page the posted form came from: the
// Referer a browser sends under Referrer-Policy same-origin, or "".
func formURL(r *http.Request) string {
	ref := r.Referer()
	if ref == "" {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil || u.Host != r.Host || !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") {
		return ""
	}
	return u.RequestURI()
}

// refill answers a post that failed on a user's mistake with the page the
// form came from, shown again by its own GET handler with the posted
// values and per-field messages (render picks them up from the context)
// and status 422. It reports false, having written nothing, when there is
// no such page or that page cannot be shown; the caller then writes the
// plain error page.
func (s *Server) refill(w http.ResponseWriter, r *http.Request, err error) bool {
	if r.Method != http.MethodPost || s.pages == nil || !errors.Is(err, domain.ErrInvalid) {
		return false
	}
	back := formURL(r)
	if back == "" {
		return false
	}
	u, perr := url.Parse(back)
	if perr != nil {
		return false
	}
	state := formState{Values: r.PostForm, Errors: fieldErrors(err)}
	if state.Values == nil {
		state.Values = url.Values{}
	}
	msg := domain.UserMessage(err)
	g := r.Clone(context.WithValue(r.Context(), formKey{}, &refilled{state: state, message: msg, url: back}))
	g.Method, g.URL, g.RequestURI, g.Body, g.ContentLength = http.MethodGet, u, back, http.NoBody, 0
	g.Form, g.PostForm, g.MultipartForm = nil, nil, nil
	g.Header.Del("Content-Type")
	var rec bufferedWriter
	rec.header = http.Header{}
	s.pages.ServeHTTP(&rec, g)
	if rec.status != http.StatusUnprocessableEntity {
		return false
	}
	for k, v := range rec.header {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.status)
	w.Write(rec.body.Bytes())
	return true
}

// refillFrom is the failed post render should show, if any.
func refillFrom(r *http.Request) *refilled {
	f, _ := r.Context().Value(formKey{}).(*refilled)
	return f
}

// bufferedWriter holds a response until refill knows it wants it.
type bufferedWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedWriter) Header() http.Header { return b.header }

func (b *bufferedWriter) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}

func (b *bufferedWriter) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}

// Attrs marks the input of a wrong field for assistive technology: invalid,
// and described by its message (field_error's id).
func (f formState) Attrs(name string) template.HTMLAttr {
	if f.Errors[name] == "" {
		return ""
	}
	return template.HTMLAttr(`aria-invalid="true" aria-describedby="err-` + template.HTMLEscapeString(name) + `"`)
}

// Bad is " has-error" for a wrong field's wrapper, else "".
func (f formState) Bad(name string) string {
	if f.Errors[name] == "" {
		return ""
	}
	return " has-error"
}

// For is the state of one form on a page that has several: the failed
// post's if it came from the form named form (its hidden "_form" field),
// else the zero state, so that one form's mistakes and input do not
// spill into another form's fields of the same name.
func (f formState) For(form string) formState {
	if f.Values == nil || f.Values.Get("_form") != form {
		return formState{}
	}
	return f
}

// Failed reports whether the form came back with mistakes, so that a form
// kept folded is shown open.
func (f formState) Failed() bool { return len(f.Errors) > 0 }

// posted is the state of the form posted in r that failed with err, for
// a handler that shows its page again itself.
func posted(r *http.Request, err error) formState {
	return formState{Values: r.PostForm, Errors: fieldErrors(err)}
}
