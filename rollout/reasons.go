package rollout

import (
	"strconv"
	"strings"
)

// numbered builds a run of reasons that differ only in a counter, "<prefix><k> of <total><suffix>"
// for k = first, first+1, ..., in one string, and hands them out in order as substrings of it.
// One pass therefore costs two allocations for its reasons however many decisions it makes.
type numbered struct {
	all  string
	ends []int
	next int
}

func newNumbered(prefix, suffix string, first, count, total int) numbered {
	if count <= 0 {
		return numbered{}
	}
	var b strings.Builder
	b.Grow(count * (len(prefix) + len(suffix) + 4 + 2*len(strconv.Itoa(max(first+count, total)))))
	ends := make([]int, count)
	var digits [20]byte
	totalStr := strconv.AppendInt(digits[:0], int64(total), 10)
	of := len(totalStr) + 4
	tail := make([]byte, 0, of)
	tail = append(append(append(tail, " of "...), totalStr...), suffix...)
	for i := range count {
		b.WriteString(prefix)
		b.Write(strconv.AppendInt(digits[:0], int64(first+i), 10))
		b.Write(tail)
		ends[i] = b.Len()
	}
	return numbered{all: b.String(), ends: ends}
}

// take returns the next reason.
func (n *numbered) take() string {
	start := 0
	if n.next > 0 {
		start = n.ends[n.next-1]
	}
	s := n.all[start:n.ends[n.next]]
	n.next++
	return s
}

// The words Decide gives to its decisions, for a planner that reproduces them without calling
// Decide (simulate's incremental reconcile) and must word them alike.
const (
	// ReasonReplaceUnavailable: maxUnavailable mode deletes a lone old pod that is not available,
	// outside the budget.
	ReasonReplaceUnavailable = reasonReplaceUnavailable
	// ReasonSurgeUnavailable: surge mode creates a new pod beside a lone old pod that is not
	// available, outside the surge budget.
	ReasonSurgeUnavailable = reasonSurgeUnavailable
)

// The fixed parts of the numbered reasons, shared by Decide's runs and BudgetReason/SurgeReason
// so that both word a decision alike.
const (
	budgetPrefix = "rolling update: old revision, budget "
	budgetSuffix = " in use"
	surgePrefix  = "surge: new pod beside available old pod "
)

// BudgetReason is Decide's reason, in maxUnavailable mode, for deleting the available old pod
// that makes k nodes of maxUnavailable unavailable: "rolling update: old revision, budget k of
// maxUnavailable in use".
func BudgetReason(k, maxUnavailable int) string {
	return numberedReason(budgetPrefix, budgetSuffix, k, maxUnavailable)
}

// SurgeReason is Decide's reason, in surge mode, for the new pod beside an available old pod
// that makes k nodes of maxSurge surge: "surge: new pod beside available old pod k of maxSurge".
func SurgeReason(k, maxSurge int) string {
	return numberedReason(surgePrefix, "", k, maxSurge)
}

// numberedReason is one reason of a numbered run, "<prefix><k> of <total><suffix>", in one
// allocation.
func numberedReason(prefix, suffix string, k, total int) string {
	var buf [128]byte
	b := append(buf[:0], prefix...)
	b = strconv.AppendInt(b, int64(k), 10)
	b = append(b, " of "...)
	b = strconv.AppendInt(b, int64(total), 10)
	return string(append(b, suffix...))
}
