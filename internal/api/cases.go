package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/tracking"
)

// MaxBatch is the most cases one POST may carry.
const MaxBatch = 1000

// caseJSON is a case as the API reads and writes it. Amounts are decimal
// yuan as a string or number ("12345.67"); dates are YYYY-MM-DD.
type caseJSON struct {
	CaseNo          string      `json:"case_no"`
	Court           string      `json:"court,omitempty"`
	FiledOn         domain.Date `json:"filed_on"`
	Officer         string      `json:"officer,omitempty"`
	Department      string      `json:"department,omitempty"`
	Amount          amountJSON  `json:"amount,omitempty"`
	HasProperty     *bool       `json:"has_property,omitempty"`
	NonLitigation   bool        `json:"non_litigation,omitempty"`
	ClosedOn        domain.Date `json:"closed_on,omitzero"`
	ClosingMode     string      `json:"closing_mode,omitempty"`
	Petition        bool        `json:"petition,omitempty"`
	SupervisedBy    string      `json:"supervised_by,omitempty"`
	SupervisedSince domain.Date `json:"supervised_since,omitzero"`
	PublicOpinion   bool        `json:"public_opinion,omitempty"`
	SocialImpact    bool        `json:"social_impact,omitempty"`
	DueOn           domain.Date `json:"due_on,omitzero"`
	ClockStopped    bool        `json:"clock_stopped,omitempty"`
	Overdue         bool        `json:"overdue,omitempty"`
	Parties         []partyJSON `json:"parties,omitempty"`
	Nodes           []nodeJSON  `json:"nodes,omitempty"`
	// Actions are the case's enforcement acts (issue 15): a posted list
	// replaces the case's acts; a case posted without the key keeps them.
	Actions []actionJSON `json:"actions,omitempty"`
}

// amountJSON is a yuan amount: read from a JSON string or number, always
// written as a string so that no client parses money as a float.
type amountJSON string

func (a amountJSON) MarshalJSON() ([]byte, error) { return json.Marshal(string(a)) }

func (a *amountJSON) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*a = amountJSON(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("amount: %w", err)
	}
	*a = amountJSON(n.String())
	return nil
}

type partyJSON struct {
	Role  domain.PartyRole `json:"role"`
	Name  string           `json:"name"`
	Org   bool             `json:"org,omitempty"`
	Phone string           `json:"phone,omitempty"`
	// PhoneMasked is all a GET shows: 138****5678.
	PhoneMasked string `json:"phone_masked,omitempty"`
}

type actionJSON struct {
	Kind   string      `json:"kind"`
	On     domain.Date `json:"on"`
	Amount amountJSON  `json:"amount,omitempty"`
	Note   string      `json:"note,omitempty"`
}

type nodeJSON struct {
	Kind domain.NodeKind `json:"kind"`
	On   domain.Date     `json:"on"`
	Note string          `json:"note,omitempty"`
}

func toJSON(k *domain.Case, today domain.Date) caseJSON {
	j := caseJSON{CaseNo: k.Number, Court: k.CourtCode, FiledOn: k.FiledOn, Officer: k.Officer, Department: k.Department,
		Amount: amountJSON(strings.ReplaceAll(domain.FormatAmount(k.Amount), ",", "")), NonLitigation: k.NonLitigation,
		ClosedOn: k.ClosedOn, ClosingMode: k.ClosingMode, Petition: k.Petition, SupervisedBy: k.SupervisedBy, SupervisedSince: k.SupervisedSince,
		PublicOpinion: k.PublicOpinion, SocialImpact: k.SocialImpact, DueOn: k.DueOn, ClockStopped: k.ClockStopped, Overdue: k.Overdue(today)}
	if k.PropertyKnown {
		hp := k.HasProperty
		j.HasProperty = &hp
	}
	for _, p := range k.Parties {
		j.Parties = append(j.Parties, partyJSON{Role: p.Role, Name: p.Name, Org: p.Org, PhoneMasked: p.PhoneMasked})
	}
	for _, n := range k.Nodes {
		j.Nodes = append(j.Nodes, nodeJSON{Kind: n.Kind, On: n.On, Note: n.Note})
	}
	return j
}

// fromJSON validates one posted case the way the importer validates a row.
func (a *API) fromJSON(j caseJSON) (*domain.Case, error) {
	no, err := domain.ParseCaseNo(j.CaseNo, a.CaseTypes)
	if err != nil {
		return nil, err
	}
	k := &domain.Case{No: no, FiledOn: j.FiledOn, Officer: strings.TrimSpace(j.Officer), Department: strings.TrimSpace(j.Department),
		NonLitigation: j.NonLitigation, ClosedOn: j.ClosedOn, ClosingMode: strings.TrimSpace(j.ClosingMode), Petition: j.Petition,
		SupervisedBy: strings.TrimSpace(j.SupervisedBy), SupervisedSince: j.SupervisedSince, PublicOpinion: j.PublicOpinion, SocialImpact: j.SocialImpact}
	if j.Amount != "" {
		if k.Amount, err = domain.ParseAmount(string(j.Amount)); err != nil {
			return nil, err
		}
	}
	if j.HasProperty != nil {
		k.HasProperty, k.PropertyKnown = *j.HasProperty, true
	}
	for _, p := range j.Parties {
		switch p.Role {
		case domain.Applicant, domain.Respondent, domain.Outsider:
		default:
			return nil, domain.Invalid("parties", "当事人身份应为 applicant、respondent 或 outsider")
		}
		party := domain.Party{Role: p.Role, Name: strings.TrimSpace(p.Name), Org: p.Org}
		if p.Phone != "" {
			if party.Phone, err = domain.NormalizeMobile(p.Phone); err != nil {
				return nil, err
			}
		}
		k.Parties = append(k.Parties, party)
	}
	for _, n := range j.Nodes {
		if n.Kind == "" || n.On.IsZero() {
			return nil, domain.Invalid("nodes", "流程节点须有名称和日期")
		}
		k.Nodes = append(k.Nodes, domain.Node{Kind: n.Kind, On: n.On, Note: n.Note})
	}
	return k, nil
}

// jsonFields are the keys of a posted case that domain.KeepAbsent knows.
var jsonFields = map[domain.CaseField]string{
	domain.FieldFiledOn: "filed_on", domain.FieldOfficer: "officer", domain.FieldDepartment: "department", domain.FieldAmount: "amount",
	domain.FieldHasProperty: "has_property", domain.FieldNonLitigation: "non_litigation", domain.FieldClosedOn: "closed_on",
	domain.FieldClosingMode: "closing_mode", domain.FieldPetition: "petition", domain.FieldSupervisedBy: "supervised_by",
	domain.FieldSupervisedSince: "supervised_since", domain.FieldPublicOpinion: "public_opinion", domain.FieldSocialImpact: "social_impact",
}

// actsOf reads a posted case's actions; kinds are codes or Chinese labels.
func actsOf(in []actionJSON) ([]tracking.Act, error) {
	out := make([]tracking.Act, 0, len(in))
	for _, j := range in {
		kind, err := tracking.ParseActKind(j.Kind)
		if err != nil {
			return nil, err
		}
		a := tracking.Act{Kind: kind, On: j.On, Note: strings.TrimSpace(j.Note)}
		if j.Amount != "" {
			if a.Amount, err = domain.ParseAmount(string(j.Amount)); err != nil {
				return nil, err
			}
		}
		out = append(out, a)
	}
	return out, nil
}

// keepAbsent is the Merge that keeps, for a case already stored, every
// field its JSON object left out, parties and nodes included.
func keepAbsent(present map[string]map[string]bool) store.Merge {
	return func(old, c *domain.Case) {
		has := present[c.Number]
		if has == nil {
			return
		}
		domain.KeepAbsent(old, c, func(f domain.CaseField) bool { return has[jsonFields[f]] })
		if !has["parties"] {
			c.Parties = old.Parties
		}
		if !has["nodes"] {
			c.Nodes = old.Nodes
		}
	}
}

type caseError struct {
	Index   int    `json:"index"`
	CaseNo  string `json:"case_no"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

type postResult struct {
	Added     int         `json:"added"`
	Updated   int         `json:"updated"`
	Unchanged int         `json:"unchanged"`
	Rejected  int         `json:"rejected"`
	Errors    []caseError `json:"errors"`
}

func errField(err error) string {
	var de *domain.Error
	if errors.As(err, &de) {
		return de.Field
	}
	return ""
}

// postCases takes a batch of cases from the case system: the same
// validation and idempotency as a file import; bad cases are reported by
// index and the good ones stored.
func (a *API) postCases(w http.ResponseWriter, r *http.Request, v domain.Viewer, _ *domain.User) {
	if !v.CanImportCases() {
		a.error(w, r, domain.Errorf(domain.ErrForbidden, "只有执行局、执行指挥中心可以导入案件。"))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<20)
	var body struct {
		Cases []json.RawMessage `json:"cases"`
	}
	dec := json.NewDecoder(r.Body)
	dec.UseNumber()
	if err := dec.Decode(&body); err != nil {
		a.error(w, r, domain.Errorf(domain.ErrInvalid, "请求体应为 {\"cases\": [...]} 形式的JSON：%v", err))
		return
	}
	if len(body.Cases) == 0 || len(body.Cases) > MaxBatch {
		a.error(w, r, domain.Errorf(domain.ErrInvalid, "每批案件应为1至%d件，收到%d件", MaxBatch, len(body.Cases)))
		return
	}
	out := postResult{Errors: []caseError{}}
	var cases []*domain.Case
	var index []int
	// The acts of each case that carries "actions", stored after its case.
	acts := map[string][]tracking.Act{}
	// The fields each case carries: a field left out of a case that exists
	// keeps its stored value (a partial update never clears parties or
	// zeroes an amount).
	present := map[string]map[string]bool{}
	for i, raw := range body.Cases {
		var j caseJSON
		var keys map[string]json.RawMessage
		if err := json.Unmarshal(raw, &j); err != nil {
			out.Rejected++
			out.Errors = append(out.Errors, caseError{Index: i, Message: "无法解析：" + err.Error()})
			continue
		}
		_ = json.Unmarshal(raw, &keys) // an object, since the line above read it
		k, err := a.fromJSON(j)
		if err != nil {
			out.Rejected++
			out.Errors = append(out.Errors, caseError{Index: i, CaseNo: j.CaseNo, Field: errField(err), Message: domain.UserMessage(err)})
			continue
		}
		// encoding/json matches keys without regard to case: so does this.
		fields := map[string]bool{}
		for key := range keys {
			fields[strings.ToLower(key)] = true
		}
		if fields["actions"] {
			list, err := actsOf(j.Actions)
			if err == nil {
				err = tracking.ValidateActs(list, k.FiledOn)
			}
			if err != nil {
				out.Rejected++
				out.Errors = append(out.Errors, caseError{Index: i, CaseNo: j.CaseNo, Field: "actions", Message: domain.UserMessage(err)})
				continue
			}
			acts[k.No.String()] = list
		}
		present[k.No.String()] = fields
		cases, index = append(cases, k), append(index, i)
	}
	err := a.DB.Update(r.Context(), v, func(tx *store.Tx) error {
		res, err := tx.UpsertCases(r.Context(), cases, keepAbsent(present))
		if err != nil {
			return err
		}
		var n store.Counts
		n.Add(res)
		out.Added, out.Updated, out.Unchanged, out.Rejected = n.Added, n.Updated, n.Unchanged, out.Rejected+n.Rejected
		for i, rr := range res {
			if rr.Err != nil {
				out.Errors = append(out.Errors, caseError{Index: index[i], CaseNo: cases[i].Number, Field: errField(rr.Err), Message: domain.UserMessage(rr.Err)})
				continue
			}
			list, ok := acts[cases[i].Number]
			if !ok {
				continue
			}
			// The case is stored: its acts go with it, in the same transaction.
			changed, err := tx.ReplaceCaseActs(r.Context(), cases[i].ID, list)
			if err != nil {
				return err
			}
			if changed && rr.Outcome == store.CaseUnchanged {
				out.Unchanged--
				out.Updated++
			}
		}
		return nil
	})
	if err != nil {
		a.error(w, r, err)
		return
	}
	status := http.StatusOK
	if out.Added+out.Updated+out.Unchanged == 0 {
		status = http.StatusUnprocessableEntity
	}
	writeJSON(w, status, out)
}

func (a *API) listCases(w http.ResponseWriter, r *http.Request, v domain.Viewer, _ *domain.User) {
	q := r.URL.Query()
	limit, _ := strconv.Atoi(q.Get("limit"))
	f := store.CaseFilter{Query: q.Get("q"), Court: q.Get("court"), Status: q.Get("status"), Overdue: q.Get("overdue") == "true" || q.Get("overdue") == "1",
		Flags: q["flag"], Today: a.DB.Today(), Sort: q.Get("sort"), Desc: q.Get("order") == "desc", After: q.Get("after"), Limit: limit, CaseTypes: a.CaseTypes}
	page, err := a.DB.Cases(r.Context(), v, f)
	if err != nil {
		a.error(w, r, err)
		return
	}
	today := a.DB.Today()
	cases := make([]caseJSON, 0, len(page.Cases))
	for _, k := range page.Cases {
		cases = append(cases, toJSON(k, today))
	}
	writeCaseList(w, cases, page.Next, page.Total, page.Capped)
}

func (a *API) getCase(w http.ResponseWriter, r *http.Request, v domain.Viewer, _ *domain.User) {
	number, err := domain.NormalizeCaseNo(r.PathValue("caseNo"), a.CaseTypes)
	if err != nil {
		a.error(w, r, fmt.Errorf("%w: %w", domain.ErrNotFound, err))
		return
	}
	k, err := a.DB.CaseByNumber(r.Context(), v, number)
	if err != nil {
		a.error(w, r, err)
		return
	}
	acts, err := a.DB.CaseActs(r.Context(), v, k.ID)
	if err != nil {
		a.error(w, r, err)
		return
	}
	j := toJSON(k, a.DB.Today())
	for _, act := range acts {
		j.Actions = append(j.Actions, actionJSON{Kind: string(act.Kind), On: act.On, Note: act.Note,
			Amount: amountJSON(strings.ReplaceAll(domain.FormatAmount(act.Amount), ",", ""))})
	}
	writeJSON(w, http.StatusOK, j)
}
