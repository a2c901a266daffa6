package builtins

import (
	"bytes"
	"math"
	"strconv"
	"strings"

	"github.com/cockroachdb/apd/v3"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// to_char(numeric|int|float, text), after PostgreSQL 15's formatting.c
// (NUMDesc_prepare, NUM_processor, NUM_numpart_to_char and the
// *_to_char entry points) in the C locale.

const (
	numComma uint8 = iota
	numDec
	num0
	num9
	numB
	numC
	numD
	numE
	numFM
	numG
	numL
	numMI
	numPL
	numPR
	numRN
	numSG
	numSP
	numS
	numTH
	numV
	numrn
	numth
)

var numKeywords = []keyword{
	{",", numComma}, {".", numDec}, {"0", num0}, {"9", num9},
	{"B", numB}, {"C", numC}, {"D", numD}, {"EEEE", numE}, {"FM", numFM}, {"G", numG}, {"L", numL}, {"MI", numMI},
	{"PL", numPL}, {"PR", numPR}, {"RN", numRN}, {"SG", numSG}, {"SP", numSP}, {"S", numS}, {"TH", numTH}, {"V", numV},
	{"b", numB}, {"c", numC}, {"d", numD}, {"eeee", numE}, {"fm", numFM}, {"g", numG}, {"l", numL}, {"mi", numMI},
	{"pl", numPL}, {"pr", numPR}, {"rn", numrn}, {"sg", numSG}, {"sp", numSP}, {"s", numS}, {"th", numth}, {"v", numV},
}

var numIndex = keywordIndex(numKeywords)

// NUMDesc flags.
const (
	nfDecimal = 1 << iota
	nfLDecimal
	nfZero
	nfBlank
	nfFillMode
	nfLSign
	nfBracket
	nfMinus
	nfPlus
	nfRoman
	nfMulti
	nfPlusPost
	nfMinusPost
	nfEEEE
)

const (
	lsignPre  = -1
	lsignPost = 1
)

// numDesc is NUMDesc.
type numDesc struct {
	pre, post, lsign, flag, preLsignNum, multi, zeroStart, zeroEnd int
}

func numSyntaxError(msg string) *pgerror.Error { return pgerror.New(pgerror.SyntaxError, "%s", msg) }

// prepare is NUMDesc_prepare.
func (n *numDesc) prepare(id uint8) error {
	if n.flag&nfEEEE != 0 && id != numE {
		return numSyntaxError(`"EEEE" must be the last pattern used`)
	}
	switch id {
	case num9:
		if n.flag&nfBracket != 0 {
			return numSyntaxError(`"9" must be ahead of "PR"`)
		}
		if n.flag&nfMulti != 0 {
			n.multi++
			break
		}
		if n.flag&nfDecimal != 0 {
			n.post++
		} else {
			n.pre++
		}
	case num0:
		if n.flag&nfBracket != 0 {
			return numSyntaxError(`"0" must be ahead of "PR"`)
		}
		if n.flag&nfZero == 0 && n.flag&nfDecimal == 0 {
			n.flag |= nfZero
			n.zeroStart = n.pre + 1
		}
		if n.flag&nfDecimal == 0 {
			n.pre++
		} else {
			n.post++
		}
		n.zeroEnd = n.pre + n.post
	case numB:
		if n.pre == 0 && n.post == 0 && n.flag&nfZero == 0 {
			n.flag |= nfBlank
		}
	case numD, numDec:
		if id == numD {
			n.flag |= nfLDecimal
		}
		if n.flag&nfDecimal != 0 {
			return numSyntaxError("multiple decimal points")
		}
		if n.flag&nfMulti != 0 {
			return numSyntaxError(`cannot use "V" and decimal point together`)
		}
		n.flag |= nfDecimal
	case numFM:
		n.flag |= nfFillMode
	case numS:
		if n.flag&nfLSign != 0 {
			return numSyntaxError(`cannot use "S" twice`)
		}
		if n.flag&(nfPlus|nfMinus|nfBracket) != 0 {
			return numSyntaxError(`cannot use "S" and "PL"/"MI"/"SG"/"PR" together`)
		}
		if n.flag&nfDecimal == 0 {
			n.lsign = lsignPre
			n.preLsignNum = n.pre
			n.flag |= nfLSign
		} else if n.lsign == 0 {
			n.lsign = lsignPost
			n.flag |= nfLSign
		}
	case numMI:
		if n.flag&nfLSign != 0 {
			return numSyntaxError(`cannot use "S" and "MI" together`)
		}
		n.flag |= nfMinus
		if n.flag&nfDecimal != 0 {
			n.flag |= nfMinusPost
		}
	case numPL:
		if n.flag&nfLSign != 0 {
			return numSyntaxError(`cannot use "S" and "PL" together`)
		}
		n.flag |= nfPlus
		if n.flag&nfDecimal != 0 {
			n.flag |= nfPlusPost
		}
	case numSG:
		if n.flag&nfLSign != 0 {
			return numSyntaxError(`cannot use "S" and "SG" together`)
		}
		n.flag |= nfMinus | nfPlus
	case numPR:
		if n.flag&(nfLSign|nfPlus|nfMinus) != 0 {
			return numSyntaxError(`cannot use "PR" and "S"/"PL"/"MI"/"SG" together`)
		}
		n.flag |= nfBracket
	case numRN, numrn:
		n.flag |= nfRoman
	case numV:
		if n.flag&nfDecimal != 0 {
			return numSyntaxError(`cannot use "V" and decimal point together`)
		}
		n.flag |= nfMulti
	case numE:
		if n.flag&nfEEEE != 0 {
			return numSyntaxError(`cannot use "EEEE" twice`)
		}
		if n.flag&(nfBlank|nfFillMode|nfLSign|nfBracket|nfMinus|nfPlus|nfRoman|nfMulti) != 0 {
			return numSyntaxError(`"EEEE" is incompatible with other formats`).
				WithDetail(`"EEEE" may only be used together with digit and decimal point patterns.`)
		}
		n.flag |= nfEEEE
	}
	return nil
}

type numFormat struct {
	nodes []fmtNode
	desc  numDesc
	err   error
}

var numCache formatCache

func numFormatOf(f string) *numFormat {
	if v, ok := numCache.get(f); ok {
		return v.(*numFormat)
	}
	nf := &numFormat{}
	nf.nodes, nf.err = parseFormat(f, numKeywords, &numIndex, &nf.desc)
	numCache.put(f, nf)
	return nf
}

// numProc is NUMProc for the to_char direction.
type numProc struct {
	num          numDesc
	sign         byte
	signWrote    bool
	numCount     int
	numIn        bool
	numCurr      int
	outPreSpaces int
	number       string
	numberP      int
	lastRelevant int // index into number, -1 for none
	out          []byte
}

func (p *numProc) is(f int) bool { return p.num.flag&f != 0 }

func (p *numProc) at(i int) byte {
	if i >= 0 && i < len(p.number) {
		return p.number[i]
	}
	return 0
}

func (p *numProc) lastRelevantIsDot() bool { return p.lastRelevant >= 0 && p.at(p.lastRelevant) == '.' }

// predecSpace is IS_PREDEC_SPACE.
func (p *numProc) predecSpace() bool {
	return !p.is(nfZero) && p.numberP == 0 && p.at(0) == '0' && p.num.post != 0
}

// numpart is NUM_numpart_to_char.
func (p *numProc) numpart(id uint8) {
	if p.is(nfRoman) {
		return
	}
	p.numIn = false
	if !p.signWrote && (p.numCurr >= p.outPreSpaces || (p.is(nfZero) && p.num.zeroStart == p.numCurr)) &&
		(!p.predecSpace() || p.lastRelevantIsDot()) {
		switch {
		case p.is(nfLSign):
			if p.num.lsign == lsignPre {
				p.out = append(p.out, signText(p.sign))
				p.signWrote = true
			}
		case p.is(nfBracket):
			if p.sign == '+' {
				p.out = append(p.out, ' ')
			} else {
				p.out = append(p.out, '<')
			}
			p.signWrote = true
		case p.sign == '+':
			if !p.is(nfFillMode) {
				p.out = append(p.out, ' ')
			}
			p.signWrote = true
		case p.sign == '-':
			p.out = append(p.out, '-')
			p.signWrote = true
		}
	}
	if id == num9 || id == num0 || id == numD || id == numDec {
		switch {
		case p.numCurr < p.outPreSpaces && (p.num.zeroStart > p.numCurr || !p.is(nfZero)):
			if !p.is(nfFillMode) {
				p.out = append(p.out, ' ')
			}
		case p.is(nfZero) && p.numCurr < p.outPreSpaces && p.num.zeroStart <= p.numCurr:
			p.out = append(p.out, '0')
			p.numIn = true
		default:
			if p.at(p.numberP) == '.' {
				if !p.lastRelevantIsDot() || p.is(nfFillMode) {
					p.out = append(p.out, '.')
				}
			} else {
				switch {
				case p.lastRelevant >= 0 && p.numberP > p.lastRelevant && id != num0:
				case p.predecSpace():
					if !p.is(nfFillMode) {
						p.out = append(p.out, ' ')
					} else if p.lastRelevantIsDot() {
						p.out = append(p.out, '0')
					}
				default:
					p.out = append(p.out, p.at(p.numberP))
					p.numIn = true
				}
			}
			if p.numberP < len(p.number) {
				p.numberP++
			}
		}
		end := p.numCount
		if p.outPreSpaces != 0 {
			end++
		}
		if p.is(nfDecimal) {
			end++
		}
		if p.lastRelevant >= 0 && p.lastRelevant == p.numberP {
			end = p.numCurr
		}
		if p.numCurr+1 == end {
			if p.signWrote && p.is(nfBracket) {
				if p.sign == '+' {
					p.out = append(p.out, ' ')
				} else {
					p.out = append(p.out, '>')
				}
			} else if p.is(nfLSign) && p.num.lsign == lsignPost {
				p.out = append(p.out, signText(p.sign))
			}
		}
	}
	p.numCurr++
}

func signText(sign byte) byte {
	if sign == '-' {
		return '-'
	}
	return '+'
}

// numProcessor is NUM_processor in the to_char direction.
func numProcessor(nf *numFormat, desc numDesc, number string, outPreSpaces int, sign byte) string {
	p := numProc{num: desc, number: number, lastRelevant: -1}
	if p.num.zeroStart != 0 {
		p.num.zeroStart--
	}
	if p.is(nfEEEE) {
		return number
	}
	if p.is(nfRoman) {
		p.num.lsign, p.num.preLsignNum, p.num.post, p.num.pre, outPreSpaces = 0, 0, 0, 0, 0
		if p.is(nfFillMode) {
			p.num.flag = nfFillMode | nfRoman
		} else {
			p.num.flag = nfRoman
		}
	}
	p.sign = sign
	if p.is(nfPlus) || p.is(nfMinus) {
		p.signWrote = !(p.is(nfPlus) && !p.is(nfMinus))
	} else {
		if sign != '-' && p.is(nfFillMode) {
			p.num.flag &^= nfBracket
		}
		p.signWrote = sign == '+' && p.is(nfFillMode) && !p.is(nfLSign)
		if p.num.lsign == lsignPre && p.num.pre == p.num.preLsignNum {
			p.num.lsign = lsignPost
		}
	}
	p.numCount = p.num.post + p.num.pre - 1
	p.outPreSpaces = outPreSpaces
	if p.is(nfFillMode) && p.is(nfDecimal) {
		if dot := strings.IndexByte(number, '.'); dot >= 0 {
			p.lastRelevant = dot
			for i := dot + 1; i < len(number); i++ {
				if number[i] != '0' {
					p.lastRelevant = i
				}
			}
			if p.num.zeroEnd > p.outPreSpaces {
				lz := len(number) - 1
				if z := p.num.zeroEnd - p.outPreSpaces; z < lz {
					lz = z
				}
				if p.lastRelevant < lz {
					p.lastRelevant = lz
				}
			}
		}
	}
	if !p.signWrote && p.outPreSpaces == 0 {
		p.numCount++
	}
	p.out = make([]byte, 0, len(nf.nodes)+len(number)+4)
	for i := range nf.nodes {
		n := &nf.nodes[i]
		if n.key == nil {
			p.out = append(p.out, n.text...)
			continue
		}
		switch n.key.id {
		case num9, num0, numDec, numD:
			p.numpart(n.key.id)
		case numComma, numG:
			if !p.numIn {
				if !p.is(nfFillMode) {
					p.out = append(p.out, ' ')
				}
			} else {
				p.out = append(p.out, ',')
			}
		case numL:
			p.out = append(p.out, ' ')
		case numRN, numrn:
			s := number[p.numberP:]
			if n.key.id == numrn {
				s = lowerUnit(s)
			}
			if !p.is(nfFillMode) {
				for j := len(s); j < 15; j++ {
					p.out = append(p.out, ' ')
				}
			}
			p.out = append(p.out, s...)
		case numTH, numth:
			if p.is(nfRoman) || p.at(0) == '#' || p.sign == '-' || p.is(nfDecimal) {
				continue
			}
			p.out = appendNumTH(p.out, number, n.key.id == numTH)
		case numMI:
			if p.sign == '-' {
				p.out = append(p.out, '-')
			} else if !p.is(nfFillMode) {
				p.out = append(p.out, ' ')
			}
		case numPL:
			if p.sign == '+' {
				p.out = append(p.out, '+')
			} else if !p.is(nfFillMode) {
				p.out = append(p.out, ' ')
			}
		case numSG:
			p.out = append(p.out, p.sign)
		}
	}
	out := p.out
	// A NUL written past the end of the number string ends the C string.
	if i := bytes.IndexByte(out, 0); i >= 0 {
		out = out[:i]
	}
	return string(out)
}

// appendNumTH is get_th for to_char's TH pattern (the number is digits).
func appendNumTH(dst []byte, num string, upper bool) []byte {
	start := len(dst)
	dst = append(dst, num...)
	r, err := appendTH(dst, start, upper)
	if err != nil {
		return dst[:start]
	}
	return append(dst[:start], r[len(dst):]...)
}

// intToRoman is int_to_roman.
func intToRoman(n int64) string {
	if n > 3999 || n < 1 {
		return "###############"
	}
	rm1 := [...]string{"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"}
	rm10 := [...]string{"X", "XX", "XXX", "XL", "L", "LX", "LXX", "LXXX", "XC"}
	rm100 := [...]string{"C", "CC", "CCC", "CD", "D", "DC", "DCC", "DCCC", "CM"}
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		d := int(s[i]) - '1' // -1 for a zero digit (a byte would wrap to 255)
		if d < 0 {
			continue
		}
		switch len(s) - i {
		case 4:
			for ; d >= 0; d-- {
				b.WriteByte('M')
			}
		case 3:
			b.WriteString(rm100[d])
		case 2:
			b.WriteString(rm10[d])
		case 1:
			b.WriteString(rm1[d])
		}
	}
	return b.String()
}

func hashes(n int) string { return strings.Repeat("#", n) }

// overflowNumstr is the '#' filler for a number wider than the format.
func overflowNumstr(d *numDesc) string {
	b := []byte(hashes(d.pre + d.post + 1))
	b[d.pre] = '.'
	return string(b)
}

// splitSign strips a leading '-' and returns the sign character.
func splitSign(s string) (string, byte) {
	if strings.HasPrefix(s, "-") {
		return s[1:], '-'
	}
	return s, '+'
}

func preLen(s string) int {
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return i
	}
	return len(s)
}

// numericToChar is numeric_to_char.
func numericToChar(x *apd.Decimal, format string) (types.Datum, error) {
	if format == "" {
		return types.NewText(""), nil
	}
	nf := numFormatOf(format)
	if nf.err != nil {
		return types.Datum{}, nf.err
	}
	d := nf.desc
	var numstr string
	var sign byte
	outPre := 0
	switch {
	case d.flag&nfRoman != 0:
		r, err := roundNumeric(x, 0, apd.RoundHalfUp)
		if err != nil {
			return types.Datum{}, err
		}
		v, err := types.Cast(r, types.Numeric, types.Int4, false, nil)
		if err != nil {
			return types.Datum{}, err
		}
		numstr = intToRoman(v.I)
	case d.flag&nfEEEE != 0:
		orgnum := numericOutSci(x, d.post)
		switch {
		case orgnum == "NaN" || orgnum == "Infinity" || orgnum == "-Infinity":
			b := []byte(hashes(d.pre + d.post + 6))
			b[0] = ' '
			b[d.pre+1] = '.'
			numstr = string(b)
		case orgnum[0] != '-':
			numstr = " " + orgnum
		default:
			numstr = orgnum
		}
	default:
		val := x
		if d.flag&nfMulti != 0 {
			m, err := types.NumericMul(x, types.NewNumeric(apd.New(1, int32(d.multi))).Numeric())
			if err != nil {
				return types.Datum{}, err
			}
			val = m
			d.pre += d.multi
		}
		r, err := roundNumeric(val, int64(d.post), apd.RoundHalfUp)
		if err != nil {
			return types.Datum{}, err
		}
		orgnum := types.FormatText(r, types.Numeric, nil)
		numstr, sign = splitSign(orgnum)
		pl := preLen(numstr)
		if pl < d.pre {
			outPre = d.pre - pl
		} else if pl > d.pre {
			numstr = overflowNumstr(&d)
		}
	}
	return types.NewText(numProcessor(nf, d, numstr, outPre, sign)), nil
}

// numericOutSci is numeric_out_sci: the significand rounded to scale
// digits and the exponent, "1.23e+02".
func numericOutSci(x *apd.Decimal, scale int) string {
	switch x.Form {
	case apd.NaN, apd.NaNSignaling:
		return "NaN"
	case apd.Infinite:
		if x.Negative {
			return "-Infinity"
		}
		return "Infinity"
	}
	exp := 0
	if !x.IsZero() {
		exp = int(x.NumDigits()) + int(x.Exponent) - 1
	}
	sig := new(apd.Decimal).Set(x)
	sig.Exponent -= int32(exp)
	r, _ := roundNumeric(sig, int64(scale), apd.RoundHalfUp)
	s := types.FormatText(r, types.Numeric, nil)
	e := strconv.Itoa(absInt(exp))
	if len(e) < 2 {
		e = "0" + e
	}
	if exp < 0 {
		return s + "e-" + e
	}
	return s + "e+" + e
}

func absInt(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// intToChar is int4_to_char / int8_to_char.
func intToChar(v int64, is8 bool, format string) (types.Datum, error) {
	if format == "" {
		return types.NewText(""), nil
	}
	nf := numFormatOf(format)
	if nf.err != nil {
		return types.Datum{}, nf.err
	}
	d := nf.desc
	var numstr string
	var sign byte
	outPre := 0
	switch {
	case d.flag&nfRoman != 0:
		if v > math.MaxInt32 || v < math.MinInt32 {
			v = math.MaxInt32
		}
		numstr = intToRoman(v)
	case d.flag&nfEEEE != 0:
		if is8 {
			orgnum := numericOutSci(apd.New(v, 0), d.post)
			if orgnum[0] != '-' {
				orgnum = " " + orgnum
			}
			numstr = orgnum
		} else {
			numstr = cSci(float64(v), d.post)
		}
	default:
		if d.flag&nfMulti != 0 {
			m := int64(math.Pow(10, float64(d.multi)))
			if is8 {
				r := v * m
				if m != 0 && (r/m != v || (v == -1 && m == math.MinInt64)) {
					return types.Datum{}, pgerror.New(pgerror.NumericValueOutOfRange, "bigint out of range")
				}
				v = r
			} else {
				v = int64(int32(v) * int32(m))
			}
			d.pre += d.multi
		}
		orgnum, s := splitSign(strconv.FormatInt(v, 10))
		sign = s
		pl := len(orgnum)
		numstr = orgnum
		if d.post > 0 {
			numstr = orgnum + "." + strings.Repeat("0", d.post)
		}
		if pl < d.pre {
			outPre = d.pre - pl
		} else if pl > d.pre {
			numstr = overflowNumstr(&d)
		}
	}
	return types.NewText(numProcessor(nf, d, numstr, outPre, sign)), nil
}

// cSci is sprintf("%+.*e") with the leading '+' swapped for a space.
func cSci(f float64, prec int) string {
	s := strconv.FormatFloat(f, 'e', prec, 64)
	if s[0] != '-' {
		return " " + s
	}
	return s
}

// cFixed is sprintf("%.*f") as PostgreSQL's own snprintf prints it
// ("NaN", "Infinity").
func cFixed(f float64, prec int) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	return strconv.FormatFloat(f, 'f', prec, 64)
}

// floatToChar is float4_to_char / float8_to_char.
func floatToChar(v float64, is4 bool, format string) (types.Datum, error) {
	if format == "" {
		return types.NewText(""), nil
	}
	nf := numFormatOf(format)
	if nf.err != nil {
		return types.Datum{}, nf.err
	}
	d := nf.desc
	var numstr string
	var sign byte
	outPre := 0
	switch {
	case d.flag&nfRoman != 0:
		r := math.RoundToEven(v)
		iv := int64(math.MaxInt32)
		if !math.IsNaN(r) && r >= -2147483648.0 && r < 2147483648.0 {
			iv = int64(r)
		}
		numstr = intToRoman(iv)
	case d.flag&nfEEEE != 0:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			b := []byte(hashes(d.pre + d.post + 6))
			b[0] = ' '
			b[d.pre+1] = '.'
			numstr = string(b)
		} else {
			numstr = cSci(v, d.post)
		}
	default:
		val := v
		if d.flag&nfMulti != 0 {
			m := math.Pow(10, float64(d.multi))
			if is4 {
				val = float64(float32(v) * float32(m))
			} else {
				val = v * m
			}
			d.pre += d.multi
		}
		digits := 15
		if is4 {
			digits = 6
		}
		pl := len(cFixed(math.Abs(val), 0))
		if pl >= digits {
			d.post = 0
		} else if pl+d.post > digits {
			d.post = digits - pl
		}
		orgnum := cFixed(val, d.post)
		numstr, sign = splitSign(orgnum)
		pl = preLen(numstr)
		if pl < d.pre {
			outPre = d.pre - pl
		} else if pl > d.pre {
			numstr = overflowNumstr(&d)
		}
	}
	return types.NewText(numProcessor(nf, d, numstr, outPre, sign)), nil
}

func init() {
	fn("to_char",
		sig(tText, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return numericToChar(numArg(a[0]), a[1].S)
		}, types.Numeric, tText),
		sig(tText, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return intToChar(a[0].I, false, a[1].S)
		}, tInt4, tText),
		sig(tText, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return intToChar(a[0].I, true, a[1].S)
		}, tInt8, tText),
		sig(tText, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return floatToChar(a[0].F, true, a[1].S)
		}, types.Float4, tText),
		sig(tText, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return floatToChar(a[0].F, false, a[1].S)
		}, tFloat8, tText))
}
