// Command daemonkit plans, explains and simulates Kubernetes DaemonSet behaviour.
package main

import "fmt"

func main() {
	fmt.Println("daemonkit: the command line arrives with the CLI issue; see README.md")
}
