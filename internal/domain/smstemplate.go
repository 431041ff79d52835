package domain

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// Chinese carriers' enterprise platforms and every cloud SMS service send
// a message to the public only under a registered signature (签名,
// 【历下区人民法院】) and only through a template the provider approved,
// with its variables filled in. Every message zhilian sends is therefore a
// named SMSTemplate, defined once in the package that owns the message
// with its default text; each court may edit the text and records the
// provider's template ID and its signature.

// SMSVar is a variable of a template, written in its text between braces:
// {案号}.
type SMSVar struct {
	Name string
	// Sample is the value the preview shows.
	Sample string
	// Required variables must stay in an edited text.
	Required bool
	// Fixed variables are the installation's (its public address): they
	// are written into the text registered with the provider, never sent
	// as a parameter, since providers refuse a web address as one.
	Fixed bool
}

// SMSTemplate is one message zhilian sends.
type SMSTemplate struct {
	// Name is the stable key ("visit.question"), stored with each message.
	Name string
	// Label names the message for administrators; To says who gets it.
	Label, To string
	Vars      []SMSVar
	// Default is the text before any court edits it, without signature.
	Default string
	// Check is the template's own rule on an edited text (the satisfaction
	// question keeps its meaning): a message for the administrator, or "".
	Check func(text string) string
}

// MaxSMSText is the longest text a court may give a template, in
// characters.
const MaxSMSText = 300

// SMSCourtVar is the court's name, a variable every template may use.
var SMSCourtVar = SMSVar{Name: "法院", Sample: "济南市历下区人民法院"}

// Var returns the template's variable called name.
func (t SMSTemplate) Var(name string) (SMSVar, bool) {
	for _, v := range t.Vars {
		if v.Name == name {
			return v, true
		}
	}
	return SMSVar{}, false
}

// smsPiece is a stretch of a template's text: literal text, or a variable.
type smsPiece struct {
	text  string
	isVar bool
}

// splitSMS cuts text into literals and {variables}; braces that do not
// pair up are an error.
func splitSMS(text string) ([]smsPiece, error) {
	var out []smsPiece
	for text != "" {
		open := strings.IndexAny(text, "{}")
		if open < 0 {
			out = append(out, smsPiece{text: text})
			break
		}
		if text[open] == '}' {
			return nil, fmt.Errorf("unpaired brace")
		}
		end := strings.IndexAny(text[open+1:], "{}")
		if end < 0 || text[open+1+end] == '{' || end == 0 {
			return nil, fmt.Errorf("unpaired brace")
		}
		if open > 0 {
			out = append(out, smsPiece{text: text[:open]})
		}
		out = append(out, smsPiece{text: text[open+1 : open+1+end], isVar: true})
		text = text[open+2+end:]
	}
	return out, nil
}

// Validate checks a text a court gives the template: not empty, not too
// long, braces only around the template's variables, every required
// variable kept, and the template's own rule. The message is for the
// field "body".
func (t SMSTemplate) Validate(text string) error {
	text = strings.TrimSpace(text)
	switch {
	case text == "":
		return Invalid("body", "短信文本不能为空。")
	case utf8.RuneCountInString(text) > MaxSMSText:
		return Invalid("body", fmt.Sprintf("短信文本不能超过%d字。", MaxSMSText))
	case strings.ContainsAny(text, "【】"):
		return Invalid("body", "文本中不要写签名（【】）：签名在本页上方单独设置，发送时加在文本前。")
	}
	pieces, err := splitSMS(text)
	if err != nil {
		return Invalid("body", "花括号只用来写变量，如{案号}，须成对出现。")
	}
	used := map[string]bool{}
	for _, p := range pieces {
		if !p.isVar {
			continue
		}
		if _, ok := t.Var(p.text); !ok {
			return Invalid("body", "没有变量{"+p.text+"}。可用的变量："+t.varList()+"。")
		}
		used[p.text] = true
	}
	var missing []string
	for _, v := range t.Vars {
		if v.Required && !used[v.Name] {
			missing = append(missing, "{"+v.Name+"}")
		}
	}
	if len(missing) > 0 {
		return Invalid("body", "文本须保留变量"+strings.Join(missing, "、")+"。")
	}
	if t.Check != nil {
		if msg := t.Check(text); msg != "" {
			return Invalid("body", msg)
		}
	}
	return nil
}

func (t SMSTemplate) varList() string {
	var names []string
	for _, v := range t.Vars {
		names = append(names, "{"+v.Name+"}")
	}
	if len(names) == 0 {
		return "无"
	}
	return strings.Join(names, "、")
}

// Render fills text's variables from vals; a variable without a value is
// left empty.
func Render(text string, vals map[string]string) string {
	pieces, err := splitSMS(text)
	if err != nil {
		return text
	}
	var b strings.Builder
	for _, p := range pieces {
		if p.isVar {
			b.WriteString(vals[p.text])
		} else {
			b.WriteString(p.text)
		}
	}
	return b.String()
}

// Params are the names of the variables text sends as parameters to a
// provider that takes a template ID: those not fixed, in the order of
// their first place in the text — the {1}, {2} … of the text registered
// with the provider.
func (t SMSTemplate) Params(text string) []string {
	pieces, _ := splitSMS(text)
	var out []string
	seen := map[string]bool{}
	for _, p := range pieces {
		if !p.isVar || seen[p.text] {
			continue
		}
		if v, ok := t.Var(p.text); ok && !v.Fixed {
			seen[p.text] = true
			out = append(out, p.text)
		}
	}
	return out
}

// Registration is text as it is registered with a provider that takes a
// template ID: each parameter numbered {1}, {2} … in Params' order, the
// fixed variables written out from fixed.
func (t SMSTemplate) Registration(text string, fixed map[string]string) string {
	num := map[string]int{}
	for i, p := range t.Params(text) {
		num[p] = i + 1
	}
	pieces, err := splitSMS(text)
	if err != nil {
		return text
	}
	var b strings.Builder
	for _, p := range pieces {
		switch {
		case !p.isVar:
			b.WriteString(p.text)
		case num[p.text] > 0:
			fmt.Fprintf(&b, "{%d}", num[p.text])
		default:
			b.WriteString(fixed[p.text])
		}
	}
	return b.String()
}

// SMS lengths: a message of at most 70 UCS-2 characters goes as one; a
// longer one in parts of 67, each part carrying the concatenation header.
const (
	SMSSingle = 70
	SMSPart   = 67
)

// SMSParts is how many messages text (signature included) takes.
func SMSParts(text string) int {
	n := len(utf16.Encode([]rune(text)))
	if n <= SMSSingle {
		return 1
	}
	return (n + SMSPart - 1) / SMSPart
}

// SMSLength is text's length in UCS-2 characters, as carriers count it.
func SMSLength(text string) int { return len(utf16.Encode([]rune(text))) }

// NormalizeSignature reads a signature as an administrator types it, with
// or without 【】: 2 to 12 Chinese characters, letters or digits, as the
// providers accept them.
func NormalizeSignature(s string) (string, error) {
	s = strings.TrimSpace(s)
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(s, "【"), "】"))
	n := utf8.RuneCountInString(s)
	if n < 2 || n > 12 {
		return "", Invalid("signature", "签名须为2至12个字（不含【】）。")
	}
	for _, r := range s {
		if !unicode.Is(unicode.Han, r) && !(r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r))) {
			return "", Invalid("signature", "签名只能由汉字、英文字母和数字组成。")
		}
	}
	return s, nil
}

// Signed is a text as a provider that takes text sends it: the signature
// in 【】 before it.
func Signed(signature, text string) string {
	if signature == "" {
		return text
	}
	return "【" + signature + "】" + text
}
