"""Discrete-event simulation of a blueprint under its demand, shifts and flow semantics."""
