// One Jest run over every project (npm test); each project also has its own cached `nx test` target.
const { getJestProjectsAsync } = require('@nx/jest');

module.exports = async () => ({
  projects: await getJestProjectsAsync(),
});
