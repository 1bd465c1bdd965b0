// The parts of OpenLayers the public map uses, bundled by esbuild into dist/ol-map.js (`npm run build`):
// a third of the full build, so a phone parses and runs less before the map draws.  Exposed as
// `window.ol` with the full build's namespace shape, which app.js uses.
import Feature from "ol/Feature.js";
import Map from "ol/Map.js";
import View from "ol/View.js";
import { defaults as controlDefaults } from "ol/control/defaults.js";
import ScaleLine from "ol/control/ScaleLine.js";
import GeoJSON from "ol/format/GeoJSON.js";
import MVT from "ol/format/MVT.js";
import Point from "ol/geom/Point.js";
import Group from "ol/layer/Group.js";
import VectorLayer from "ol/layer/Vector.js";
import VectorTileLayer from "ol/layer/VectorTile.js";
import { fromLonLat, toLonLat, transformExtent } from "ol/proj.js";
import VectorSource from "ol/source/Vector.js";
import VectorTileSource from "ol/source/VectorTile.js";
import CircleStyle from "ol/style/Circle.js";
import Fill from "ol/style/Fill.js";
import Stroke from "ol/style/Stroke.js";
import Style from "ol/style/Style.js";
import Text from "ol/style/Text.js";

window.ol = {
  Feature,
  Map,
  View,
  control: { defaults: { defaults: controlDefaults }, ScaleLine },
  format: { GeoJSON, MVT },
  geom: { Point },
  layer: { Group, Vector: VectorLayer, VectorTile: VectorTileLayer },
  proj: { fromLonLat, toLonLat, transformExtent },
  source: { Vector: VectorSource, VectorTile: VectorTileSource },
  style: { Circle: CircleStyle, Fill, Stroke, Style, Text },
};
