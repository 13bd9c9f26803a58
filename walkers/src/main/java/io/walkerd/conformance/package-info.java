/**
 * jac-cloud's conformance pack: the node types and walkers of jac-cloud's {@code simple_graph.jac} that its
 * {@code test_simple_graph.py} flows call, with the same names, fields and behaviour, grouped by flow.
 */
package io.walkerd.conformance;
