package courts

import (
	"bufio"
	"bytes"
	_ "embed"
	"strings"
	"sync"
	"unicode/utf8"
)

//go:embed data/initials.tsv
var initialsTable []byte

// initialOf is the first letter of the pinyin of every character of the
// division names, as read in those names (data/initials.tsv).
var initialOf = sync.OnceValue(func() map[rune]byte {
	out := map[rune]byte{}
	sc := bufio.NewScanner(bytes.NewReader(initialsTable))
	for sc.Scan() {
		letter, chars, ok := strings.Cut(sc.Text(), "\t")
		if !ok || strings.HasPrefix(letter, "#") || len(letter) != 1 {
			continue
		}
		for _, c := range chars {
			out[c] = letter[0]
		}
	}
	return out
})

// readOtherwise are the names that read a character otherwise than the
// table does, with their initials: 番禺 is Panyu, 吐鲁番 Tulufan.
var readOtherwise = map[string]string{
	"番禺": "py", "洪洞": "ht", "荥经": "yj", "长子": "zz", "闵行": "mh",
	"尉犁": "yl", "东阿": "de", "乐清": "yq", "大埔": "db", "召陵": "sl",
}

// levelSuffixes are what the short initials leave out of each level's
// name: 山东省济南市历下区 is sd jn lx.
var levelSuffixes = []string{"特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "省", "市", "区", "县", "旗", "盟"}

// initials is the pinyin initials of name; a character the table lacks
// is left out.
func initials(name string) string {
	table := initialOf()
	var b strings.Builder
	for rest := name; rest != ""; {
		matched := false
		for w, in := range readOtherwise {
			if strings.HasPrefix(rest, w) {
				b.WriteString(in)
				rest, matched = rest[len(w):], true
				break
			}
		}
		if matched {
			continue
		}
		c, size := utf8.DecodeRuneInString(rest)
		if l, ok := table[c]; ok {
			b.WriteByte(l)
		}
		rest = rest[size:]
	}
	return b.String()
}

// shortName is a level's name without its 省, 市, 区, 县 (历下区 → 历下),
// unless that would leave a single character (矿区 stays).
func shortName(name string) string {
	for _, s := range levelSuffixes {
		if rest, ok := strings.CutSuffix(name, s); ok && len([]rune(rest)) >= 2 {
			return rest
		}
	}
	return name
}

var divisionInitials = sync.OnceValue(func() map[string]string {
	ds, err := Divisions()
	if err != nil {
		return nil
	}
	byCode := map[string]Division{}
	for _, d := range ds {
		byCode[d.Code] = d
	}
	out := make(map[string]string, len(ds))
	for _, d := range ds {
		var short, full string
		for p := d; p.Code != ""; p = byCode[p.Parent] {
			short, full = initials(shortName(p.Name))+short, initials(p.Name)+full
		}
		out[d.Code] = short + " " + full
	}
	return out
})

// DivisionInitials is the pinyin initials of a division's full name, for
// the destination picker, two ways apart by a space: of each level's name
// without its 省, 市, 区, 县, then of the whole name. 山东省济南市历下区 gives
// "sdjnlx sdsjnslxq", so that jnlx and jnslxq both find it.
func DivisionInitials(code string) string {
	return divisionInitials()[code]
}
