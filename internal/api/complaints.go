package api

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/store"
)

// complaintIn is a complaint or petition as the API takes it.
type complaintIn struct {
	Court       string      `json:"court"`
	Kind        string      `json:"kind"`
	Channel     string      `json:"channel"`
	ReceivedOn  domain.Date `json:"received_on"`
	PersonName  string      `json:"person_name"`
	PersonPhone string      `json:"person_phone"`
	Cases       []string    `json:"cases"`
	Staff       []string    `json:"staff"`
	Content     string      `json:"content"`
	Categories  []string    `json:"categories"`
	Level       string      `json:"level"`
	Repeat      int         `json:"repeat"`
}

// complaintOut is a complaint as the API lists it: the person's phone
// masked, staff by name.
type complaintOut struct {
	ID          int64       `json:"id"`
	Court       string      `json:"court"`
	Kind        string      `json:"kind"`
	Channel     string      `json:"channel"`
	ReceivedOn  domain.Date `json:"received_on"`
	PersonName  string      `json:"person_name,omitempty"`
	PhoneMasked string      `json:"phone_masked,omitempty"`
	Cases       []string    `json:"cases"`
	Strong      bool        `json:"strong"`
	Staff       []string    `json:"staff"`
	Content     string      `json:"content"`
	Categories  []string    `json:"categories"`
	Level       string      `json:"level,omitempty"`
	Repeat      int         `json:"repeat,omitempty"`
	Lead        string      `json:"lead,omitempty"`
	LeadNote    string      `json:"lead_note,omitempty"`
}

func (a *API) postComplaint(w http.ResponseWriter, r *http.Request, v domain.Viewer, _ *domain.User) {
	if !oversight.SeesComplaints(v) {
		a.error(w, r, domain.Errorf(domain.ErrForbidden, "您的角色无权登记投诉举报、信访。"))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	var in complaintIn
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		a.error(w, r, domain.Invalid("body", "请求内容不是有效的 JSON。"))
		return
	}
	c := oversight.Complaint{Kind: oversight.Kind(in.Kind), Channel: oversight.Channel(in.Channel), ReceivedOn: in.ReceivedOn,
		PersonName: in.PersonName, PersonPhone: in.PersonPhone, Staff: in.Staff, Content: in.Content, Categories: in.Categories,
		Level: oversight.Level(in.Level), Repeat: in.Repeat}
	for _, s := range in.Cases {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		no, err := domain.ParseCaseNo(s, a.CaseTypes)
		if err != nil {
			a.error(w, r, domain.Invalid("cases", "案号无法识别："+s))
			return
		}
		c.CaseNumbers = append(c.CaseNumbers, no.String())
	}
	id, err := a.DB.RegisterComplaint(r.Context(), v, in.Court, c)
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]int64{"id": id})
}

func (a *API) listComplaints(w http.ResponseWriter, r *http.Request, v domain.Viewer, _ *domain.User) {
	q := r.URL.Query()
	ms, total, err := a.DB.Complaints(r.Context(), v, store.ComplaintFilter{Kind: oversight.Kind(q.Get("kind")), Channel: oversight.Channel(q.Get("channel")),
		Lead: q.Get("lead"), Court: q.Get("court"), Page: store.PageReq{Size: 200}})
	if err != nil {
		a.error(w, r, err)
		return
	}
	out := struct {
		Total      int            `json:"total"`
		Complaints []complaintOut `json:"complaints"`
	}{Total: total.Total, Complaints: []complaintOut{}}
	for _, m := range ms {
		o := complaintOut{ID: m.ID, Court: m.CourtCode, Kind: string(m.Kind), Channel: string(m.Channel), ReceivedOn: m.ReceivedOn, PersonName: m.PersonName,
			PhoneMasked: m.PhoneMasked, Cases: []string{}, Staff: []string{}, Content: m.Content, Categories: m.Categories, Level: string(m.Level),
			Repeat: m.Repeat, Lead: string(m.Lead), LeadNote: m.LeadNote}
		if o.Categories == nil {
			o.Categories = []string{}
		}
		for _, c := range m.Cases {
			o.Cases, o.Strong = append(o.Cases, c.Number), o.Strong || c.Strong
		}
		for _, s := range m.Staff {
			o.Staff = append(o.Staff, s.Name)
		}
		out.Complaints = append(out.Complaints, o)
	}
	writeJSON(w, http.StatusOK, out)
}
