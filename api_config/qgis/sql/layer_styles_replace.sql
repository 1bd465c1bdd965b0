-- Replace dothi's own style of one table and make it the default, as QGIS does when a user saves
-- a default style: other styles of the table stop being the default.  ``type`` stays NULL so the
-- style matches the layer whatever geometry type its data source declares.
DELETE FROM public.layer_styles
WHERE f_table_catalog = current_database()
  AND f_table_schema = %(schema)s AND f_table_name = %(table)s AND stylename = %(name)s;

UPDATE public.layer_styles SET useasdefault = false
WHERE f_table_catalog = current_database()
  AND f_table_schema = %(schema)s AND f_table_name = %(table)s AND f_geometry_column = %(geom)s;

INSERT INTO public.layer_styles
    (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, stylename, styleqml,
     stylesld, useasdefault, description, owner, ui, update_time, type)
VALUES
    (current_database(), %(schema)s, %(table)s, %(geom)s, %(name)s, XMLPARSE(DOCUMENT %(qml)s),
     NULL, true, %(description)s, current_user, NULL, CURRENT_TIMESTAMP, NULL)
