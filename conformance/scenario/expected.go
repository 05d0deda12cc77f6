package scenario

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Counters are the seven status counters of a DaemonSet, as expected.json spells them.
type Counters struct {
	DesiredNumberScheduled int32 `json:"desiredNumberScheduled"`
	CurrentNumberScheduled int32 `json:"currentNumberScheduled"`
	NumberMisscheduled     int32 `json:"numberMisscheduled"`
	NumberReady            int32 `json:"numberReady"`
	UpdatedNumberScheduled int32 `json:"updatedNumberScheduled"`
	NumberAvailable        int32 `json:"numberAvailable"`
	NumberUnavailable      int32 `json:"numberUnavailable"`
}

// Expected is one recorded upstream outcome (expected.json or expected-immediate.json).
type Expected struct {
	Creates            []string `json:"creates"`
	Deletes            []string `json:"deletes"`
	Status             Counters `json:"status"`
	Hash               string   `json:"hash"`
	StatusWritten      bool     `json:"statusWritten"`
	ObservedGeneration int64    `json:"observedGeneration"`
	RevisionsCreated   []string `json:"revisionsCreated"`
	CreatesFailed      int      `json:"createsFailed"`
	Error              string   `json:"error"`
	Observe            string   `json:"observe"`
	Now                string   `json:"now"`
	Runs               int      `json:"runs"`
	DistinctOutcomes   int      `json:"distinctOutcomes"`
	// CreatesUnion and DeletesUnion hold every choice seen over Runs runs, where upstream picks
	// by map order; nil when the outcome was the same every run.
	CreatesUnion []string `json:"createsUnion"`
	DeletesUnion []string `json:"deletesUnion"`
}

// LoadExpected reads one expected.json file.
func LoadExpected(path string) (Expected, error) {
	var e Expected
	data, err := os.ReadFile(path)
	if err != nil {
		return e, fmt.Errorf("read expected outcome: %w", err)
	}
	if err := json.Unmarshal(data, &e); err != nil {
		return e, fmt.Errorf("%s: %w", path, err)
	}
	return e, nil
}

// Flags are the extra inputs a scenario's flags file gives the oracle.
type Flags struct {
	// CreateQuota is the number of pod creates the API accepts (--create-quota), or nil.
	CreateQuota *int
}

// LoadFlags reads dir/flags if it exists. Unknown flags are an error, so that a new oracle input
// is not silently ignored.
func LoadFlags(path string) (Flags, error) {
	var f Flags
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return f, nil
	}
	if err != nil {
		return f, fmt.Errorf("read flags: %w", err)
	}
	words := strings.Fields(string(data))
	for i := 0; i < len(words); i++ {
		switch words[i] {
		case "--create-quota":
			if i+1 >= len(words) {
				return f, fmt.Errorf("%s: --create-quota needs a value", path)
			}
			n, err := strconv.Atoi(words[i+1])
			if err != nil {
				return f, fmt.Errorf("%s: --create-quota: %w", path, err)
			}
			f.CreateQuota = &n
			i++
		default:
			return f, fmt.Errorf("%s: unknown flag %q", path, words[i])
		}
	}
	return f, nil
}
