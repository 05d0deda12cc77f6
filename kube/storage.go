package kube

import "fmt"

// protoMessage is the protobuf encoding every k8s.io/api object carries.
type protoMessage interface {
	Marshal() ([]byte, error)
	Unmarshal([]byte) error
}

// storageRoundTrip turns obj into what a controller reads back from the API server: the server
// stores objects as protobuf and every reader decodes them again, which loses the distinctions
// JSON keeps (an empty list becomes nil, a quantity such as "0.5" becomes its canonical "500m",
// timestamps lose their fraction). The revision hash dumps the Go value, so it sees those
// distinctions: without this step `args: []` or `cpu: "0.5"` in a manifest would hash differently
// from what a cluster computes for it. The type information is kept.
func storageRoundTrip[T any, PT interface {
	*T
	protoMessage
}](obj PT) error {
	data, err := obj.Marshal()
	if err != nil {
		return fmt.Errorf("encoding for storage: %w", err)
	}
	var fresh T
	if err := PT(&fresh).Unmarshal(data); err != nil {
		return fmt.Errorf("decoding from storage: %w", err)
	}
	*obj = fresh
	return nil
}
