-- Undo revision 0016_scenario_editing in this database.  The cluster-wide group role
-- dothi_planner stays: other databases of the cluster and the planners' logins may use it.
DROP VIEW scenario.scenario_results;
DROP VIEW scenario.edit_schools, scenario.edit_health_facilities, scenario.edit_markets,
    scenario.edit_transit_stops, scenario.edit_green_spaces, scenario.edit_land_use;
DROP FUNCTION scenario.write_edit_view();
REVOKE ALL ON ALL TABLES IN SCHEMA scenario FROM dothi_planner;
REVOKE USAGE ON SCHEMA scenario FROM dothi_planner;
