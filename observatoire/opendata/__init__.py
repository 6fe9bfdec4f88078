"""Open data around publications: whole-publication package, what changed, catalogue, feed.

Everything here reads published cubes only (hidden cells already `None`): no module of this
package sees a real count, so none can reveal one.
"""
