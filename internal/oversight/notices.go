package oversight

import (
	"strings"
	"unicode/utf8"

	"github.com/zhilian/zhilian/internal/domain"
)

// NoticeKind is what a notice to staff is about; it decides its label
// and whether the administrator has it texted as well.
type NoticeKind string

// The kinds of notice the four mechanisms send to a court's liaisons.
const (
	// NoticeTripReview: a trip report needs a watchdog's review.
	NoticeTripReview NoticeKind = "trip_review"
	// NoticeVisitConsultation: a return visit goes to the three bodies'
	// consultation (三家会商).
	NoticeVisitConsultation NoticeKind = "visit_consultation"
	// NoticeVisitOnsite: a return visit is to be made on site.
	NoticeVisitOnsite NoticeKind = "visit_onsite"
	// NoticeCaseSupervised: a higher court supervises (督办) a case.
	NoticeCaseSupervised NoticeKind = "case_supervised"
	// NoticeRectification: a rectification item is owed, due, overdue,
	// submitted for acceptance, accepted or returned.
	NoticeRectification NoticeKind = "rectification"
	// NoticeClueAssigned: a clue waits for its verifier.
	NoticeClueAssigned NoticeKind = "clue_assigned"
	// NoticeGeneral is any other notice.
	NoticeGeneral NoticeKind = "general"
)

// NoticeKinds lists every kind, in the order the administrator sees them.
var NoticeKinds = []NoticeKind{NoticeTripReview, NoticeVisitConsultation, NoticeVisitOnsite, NoticeCaseSupervised, NoticeRectification, NoticeClueAssigned, NoticeGeneral}

var noticeLabels = map[NoticeKind]string{
	NoticeTripReview:        "外出报告需核查",
	NoticeVisitConsultation: "回访转三家会商",
	NoticeVisitOnsite:       "待实地回访",
	NoticeCaseSupervised:    "上级法院督办",
	NoticeRectification:     "整改事项",
	NoticeClueAssigned:      "问题线索待核查",
	NoticeGeneral:           "其他通知",
}

// Label is the kind's Chinese name, or the code itself for a kind this
// version does not know (a message written by a later one).
func (k NoticeKind) Label() string {
	if l, ok := noticeLabels[k]; ok {
		return l
	}
	return string(k)
}

// Valid reports whether k is one of NoticeKinds.
func (k NoticeKind) Valid() bool {
	_, ok := noticeLabels[k]
	return ok
}

// MaxNoticeTitle is the longest title, in characters.
const MaxNoticeTitle = 200

// Notice is a message to staff. The title says what waits and where, never
// a party's details or a complaint's content: those stay behind the link,
// where the reader's own permissions decide what is shown.
type Notice struct {
	Kind    NoticeKind
	Title   string
	Link    string // a path in the application, "/trip-reviews/7"
	CourtID int64  // the court the matter belongs to
	// SMSTemplate names the text's template for the kinds that are also
	// texted, with its variables; empty for the kind's own (NoticeTemplate).
	// The text follows the same rule as the title.
	SMSTemplate string
	SMSVars     map[string]string
	// Key makes the texts idempotent: each recipient's is Key + ":" + the
	// user's id; empty for no text at all.
	Key string
}

// Validate checks the notice before it is written.
func (n Notice) Validate() error {
	fe := domain.FieldErrors{}
	if !n.Kind.Valid() {
		fe["kind"] = "未知的通知类型。"
	}
	switch t := strings.TrimSpace(n.Title); {
	case t == "":
		fe["title"] = "通知标题不能为空。"
	case utf8.RuneCountInString(t) > MaxNoticeTitle:
		fe["title"] = "通知标题不能超过200字。"
	}
	if !strings.HasPrefix(n.Link, "/") || strings.HasPrefix(n.Link, "//") || strings.ContainsAny(n.Link, "\\\r\n\t ") {
		fe["link"] = "通知链接必须是本系统内的路径。"
	}
	return fe.Err()
}

// NoticeTemplate is the template of a notice of kind k texted without
// one of its own.
func NoticeTemplate(k NoticeKind) string { return "notice." + string(k) }

// Template is the name of the notice's text template.
func (n Notice) Template() string {
	if n.SMSTemplate != "" {
		return n.SMSTemplate
	}
	return NoticeTemplate(n.Kind)
}

// SMSTemplates are the texts of the notices, one per kind, each naming
// the kind and no more. The trip reports' own notice of a review
// (trip.TemplateReview) says why; this kind's text serves a notice of it
// sent without one.
func SMSTemplates() []domain.SMSTemplate {
	var out []domain.SMSTemplate
	for _, k := range NoticeKinds {
		out = append(out, domain.SMSTemplate{Name: NoticeTemplate(k), Label: "消息通知：" + k.Label(), To: "联络员等收件人",
			Vars:    []domain.SMSVar{domain.SMSCourtVar},
			Default: "执廉提醒：您有一条新消息（" + k.Label() + "），请登录执廉系统查看。"})
	}
	return out
}
