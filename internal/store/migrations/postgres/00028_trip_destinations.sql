-- +goose Up
-- Several destinations per trip (issue 13, point 15), each tested against
-- the court's jurisdiction; the trip is reported when any lies outside.
-- trips.destination keeps the first, destination_name all of them.
CREATE TABLE trip_destinations (
    trip_id              BIGINT NOT NULL REFERENCES trips (id),
    position             INTEGER NOT NULL,
    division             TEXT NOT NULL,
    name                 TEXT NOT NULL,
    out_of_jurisdiction  BOOLEAN NOT NULL,
    PRIMARY KEY (trip_id, position)
);
INSERT INTO trip_destinations (trip_id, position, division, name, out_of_jurisdiction)
    SELECT id, 0, destination, destination_name, out_of_jurisdiction FROM trips;

-- +goose Down
DROP TABLE trip_destinations;
