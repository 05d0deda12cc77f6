package kube

import (
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
)

// Short names for the tests.
type (
	nodeT      = corev1.Node
	podT       = corev1.Pod
	daemonSetT = appsv1.DaemonSet
	revisionT  = appsv1.ControllerRevision
)
